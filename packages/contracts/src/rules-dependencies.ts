import { arrayAt, stringAt, type Report } from './loose.js';
import { shorten } from './violations.js';

/** Every cycle reachable in a directed graph, as lists of node indexes. Iterative, so depth cannot overflow. */
export function findCycles(edges: readonly (readonly number[])[]): number[][] {
  const state = new Uint8Array(edges.length); // 0 unvisited, 1 on the current path, 2 finished
  const cycles: number[][] = [];
  for (let root = 0; root < edges.length; root++) {
    if (state[root] !== 0) continue;
    const path: { node: number; next: number }[] = [{ node: root, next: 0 }];
    state[root] = 1;
    while (path.length > 0) {
      const top = path[path.length - 1]!;
      const targets = edges[top.node] ?? [];
      if (top.next >= targets.length) {
        state[top.node] = 2;
        path.pop();
        continue;
      }
      const to = targets[top.next++]!;
      if (state[to] === 1) {
        const start = path.findIndex((frame) => frame.node === to);
        cycles.push(path.slice(start).map((frame) => frame.node));
      } else if (state[to] === 0) {
        state[to] = 1;
        path.push({ node: to, next: 0 });
      }
    }
  }
  return cycles;
}

/** `dependsOnTasks` names tasks of the order, never the task itself, and the dependencies have no cycle. */
export function checkDependencies(order: unknown, report: Report): void {
  const tasks = arrayAt(order, 'tasks');
  const ids = tasks.map((task) => stringAt(task, 'id'));
  const indexOf = new Map<string, number>();
  ids.forEach((id, i) => {
    if (id !== undefined && !indexOf.has(id)) indexOf.set(id, i);
  });
  const edges = tasks.map((task, i) => {
    const targets: number[] = [];
    arrayAt(task, 'dependsOnTasks').forEach((dependency, k) => {
      if (typeof dependency !== 'string') return;
      const target = indexOf.get(dependency);
      const path = ['tasks', i, 'dependsOnTasks', k];
      if (target === undefined) report(path, `names no task of this order ('${shorten(dependency)}')`);
      else if (target === i) report(path, 'names the task itself: a task cannot depend on itself');
      else targets.push(target);
    });
    return targets;
  });
  for (const cycle of findCycles(edges)) {
    const first = cycle.indexOf(Math.min(...cycle));
    const ordered = [...cycle.slice(first), ...cycle.slice(0, first)];
    const names = [...ordered, ordered[0]!].map((i) => `'${shorten(ids[i] ?? '')}'`);
    report(['tasks', ordered[0]!, 'dependsOnTasks'], `forms a dependency cycle: ${names.join(' → ')}`);
  }
}
