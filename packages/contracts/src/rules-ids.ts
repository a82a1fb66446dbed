import { arrayAt, stringAt, type Path, type Report } from './loose.js';
import { formatPropertyPath, shorten } from './violations.js';

// Ids must be unique where they are looked up: task and packaging-task ids within the order (they appear in
// URLs), document ids within their task (packaging names documents by task and document id), notification ids
// within their list (delivery is de-duplicated per notification and trigger).

function unique(items: unknown[], base: Path, what: string, report: Report): void {
  const first = new Map<string, number>();
  items.forEach((item, i) => {
    const id = stringAt(item, 'id');
    if (id === undefined) return;
    const earlier = first.get(id);
    if (earlier === undefined) first.set(id, i);
    else
      report(
        [...base, i, 'id'],
        `duplicates the ${what} id '${shorten(id)}' of ${formatPropertyPath([...base, earlier])}`,
      );
  });
}

export function checkUniqueIds(order: unknown, report: Report): void {
  const tasks = arrayAt(order, 'tasks');
  unique(tasks, ['tasks'], 'task', report);
  tasks.forEach((task, t) => {
    unique(arrayAt(task, 'documents'), ['tasks', t, 'documents'], 'document', report);
    unique(arrayAt(task, 'notifications'), ['tasks', t, 'notifications'], 'notification', report);
  });
  unique(arrayAt(order, 'notifications'), ['notifications'], 'notification', report);
  const packagingTasks = arrayAt(order, 'packagingTasks');
  unique(packagingTasks, ['packagingTasks'], 'packaging task', report);
  packagingTasks.forEach((pkg, p) => {
    unique(arrayAt(pkg, 'notifications'), ['packagingTasks', p, 'notifications'], 'notification', report);
  });
  unique(arrayAt(order, 'notificationTemplateParams'), ['notificationTemplateParams'], 'template', report);
}
