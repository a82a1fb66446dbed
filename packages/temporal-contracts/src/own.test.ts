import { describe, expect, it } from 'vitest';
import { own } from './own.js';

describe('own', () => {
  const PROTOTYPE_NAMES = ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf'];

  it('answers nothing for a key the map lacks, even one every object inherits', () => {
    const map: Record<string, number> = { t1: 1 };
    for (const name of PROTOTYPE_NAMES) expect(own(map, name), name).toBeUndefined();
    expect(own(undefined, 'constructor')).toBeUndefined();
  });

  it('answers own keys, those named like prototype members included', () => {
    // JSON and Object.fromEntries define `__proto__` as an own key (an assignment would set the prototype).
    const map = Object.fromEntries(PROTOTYPE_NAMES.map((name, i) => [name, i]));
    PROTOTYPE_NAMES.forEach((name, i) => expect(own(map, name), name).toBe(i));
    expect(own(JSON.parse('{"__proto__": "x"}') as Record<string, string>, '__proto__')).toBe('x');
  });
});
