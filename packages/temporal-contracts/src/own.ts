/**
 * The value a client-chosen key (a task, document or packaging task id) names in a plain-object map, or undefined:
 * never a member of Object.prototype, which `map[key]` answers for a key the map lacks (`constructor`, `toString`,
 * `__proto__`…: issue 29). Maps built from client keys use `Object.fromEntries`, never `map[key] = …`, which for
 * `__proto__` would set the prototype instead of a key.
 */
export function own<T>(map: Readonly<Record<string, T>> | undefined, key: string): T | undefined {
  return map !== undefined && Object.hasOwn(map, key) ? map[key] : undefined;
}
