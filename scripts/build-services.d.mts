export const SERVICE_NAMES: readonly string[];
export const EXTERNAL: readonly string[];
export function buildServices(opts?: { outDir?: string; workflowBundle?: boolean }): Promise<string>;
