export const SERVICE_NAMES: readonly string[];
export const EXTERNAL: readonly string[];
export const TOOL_ENTRIES: Readonly<Record<string, string>>;
export function buildServices(opts?: {
  outDir?: string;
  workflowBundle?: boolean;
  linkExternals?: boolean;
}): Promise<string>;
