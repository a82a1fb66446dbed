export const SERVICE_NAMES: readonly string[];
export const EXTERNAL: readonly string[];
export function buildServices(opts?: {
  outDir?: string;
  workflowBundle?: boolean;
  linkExternals?: boolean;
}): Promise<string>;
