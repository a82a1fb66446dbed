import { parseArgs } from 'node:util';
import { describe, expect, it } from 'vitest';
import { withIdsAsPositionals } from './cli.js';

const OPTIONS = {
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  merchant: { type: 'string' },
  limit: { type: 'string' },
  force: { type: 'boolean' },
} as const;
const parse = (argv: string[]) =>
  parseArgs({ args: withIdsAsPositionals(argv), options: OPTIONS, allowPositionals: true, strict: true });

describe('ops arguments', () => {
  it('reads an id that begins with a dash as an id, wherever it stands', () => {
    // Order ids are base64url, so about one in 32 begins with `-` (the redrive test met `-e…`).
    expect(parse(['timeline', '-eQ3kZ9xYw0aBcDeFgHiJkL', '--json'])).toMatchObject({
      values: { json: true },
      positionals: ['timeline', '-eQ3kZ9xYw0aBcDeFgHiJkL'],
    });
    expect(parse(['orders', 'find', '-ref-1', '--limit', '5'])).toMatchObject({
      values: { limit: '5' },
      positionals: ['orders', 'find', '-ref-1'],
    });
  });

  it('keeps options, string values that begin with a dash, -h and what follows --', () => {
    expect(parse(['orders', 'list', '--merchant', '-m1', '--json', '--', '--literal'])).toMatchObject({
      values: { merchant: '-m1', json: true },
      positionals: ['orders', 'list', '--literal'],
    });
    expect(parse(['-h']).values.help).toBe(true);
    expect(parse(['orders', 'list', '--merchant=m2']).values.merchant).toBe('m2');
  });

  it('still refuses an unknown option by its name', () => {
    expect(() => parse(['orders', 'list', '--nope'])).toThrow(/--nope/);
  });
});
