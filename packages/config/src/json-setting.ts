import { readFileSync } from 'node:fs';
import { ConfigError } from './parse-env.js';

/**
 * A JSON setting given inline (`<NAME>`) or in a file (`<NAME>_FILE`), one of the two: its text and the variable it
 * came from, for messages. Neither set: `fallback`. Both set, or an unreadable file, stops the start.
 */
export function jsonSetting(
  name: string,
  inline: string | undefined,
  file: string | undefined,
  fallback: string,
): { json: string; setting: string } {
  if (inline && file) throw new ConfigError([`${name}_FILE: set it or ${name}, not both`]);
  if (!file) return { json: inline ?? fallback, setting: name };
  try {
    return { json: readFileSync(file, 'utf8'), setting: `${name}_FILE` };
  } catch (err) {
    throw new ConfigError([`${name}_FILE: cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? 'error'})`]);
  }
}
