import type { z } from 'zod';

/** Thrown at start when the environment is invalid; the message names every bad variable. */
export class ConfigError extends Error {
  constructor(
    readonly problems: string[],
    what = 'configuration',
  ) {
    super(`Invalid ${what}:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Validates environment variables against a schema; every problem is named by its variable in one ConfigError. */
export function parseEnv<T>(schema: z.ZodType<T>, env: NodeJS.ProcessEnv, what?: string): T {
  const parsed = schema.safeParse(env);
  if (!parsed.success)
    throw new ConfigError(
      parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`),
      what,
    );
  return parsed.data;
}
