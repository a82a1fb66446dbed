// Readers for a body that has not been validated yet: the cross-field rules run on it even when some fields are
// malformed, so a client sees every violation at once. Each reader answers "absent" for anything of the wrong type.

export type Path = (string | number)[];
export type Report = (path: Path, message: string) => void;

export const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export const field = (value: unknown, key: string): unknown => (isRecord(value) ? value[key] : undefined);

export function arrayAt(value: unknown, key: string): unknown[] {
  const found = field(value, key);
  return Array.isArray(found) ? found : [];
}

export function stringAt(value: unknown, key: string): string | undefined {
  const found = field(value, key);
  return typeof found === 'string' ? found : undefined;
}
