import type { PINS } from './tools.mjs';

export const PROFILES: readonly ['start', 'test'];
export const TEST_ONLY: { pypi: string[]; apt: string[]; go: string[] };
export const PYPI_BINARIES: Record<string, string>;
export function pinsFor(profile: string): typeof PINS;
export function profileFromArgs(argv: string[]): string;
