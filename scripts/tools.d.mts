export const ROOT: string;
export const TOOLS_DIR: string;
export const PINS: {
  pnpm: string;
  pypi: Record<string, string>;
  apt: Array<{ package: string; command: string }>;
};
export function toolPath(name: 'pnpm' | 'temporal' | 'temporal-test-server' | 'weed' | 'pyhanko'): string;
