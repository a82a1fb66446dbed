import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * Path of the failure converter module (`failure-converter.cjs`), for Temporal's `failureConverterPath`: beside this
 * package's sources, or — in a service bundle (scripts/build-services.mjs), where `..` of the bundle is the dist
 * folder — the copy the build puts there.
 */
export function failureConverterPath(): string {
  const path = fileURLToPath(new URL('../failure-converter.cjs', import.meta.url));
  if (!existsSync(path)) throw new Error(`failure converter not found at ${path}`);
  return path;
}
