export const ROOT: string;
export const TOOLS_DIR: string;
export const PINS: {
  pnpm: string;
  pypi: Record<string, string>;
  apt: Array<{ package: string; command: string }>;
  go: Array<{ module: string; version: string; binary: string }>;
};
export function toolPath(
  name:
    | 'pnpm'
    | 'temporal'
    | 'temporal-test-server'
    | 'weed'
    | 'pyhanko'
    | 'certomancer'
    | 'python'
    | 'schemathesis'
    | 'hadolint'
    | 'kubernetes-validate'
    | 'helm',
): string;
