#!/usr/bin/env node
// `npm run build`: bundles every service into one ESM file, dist/services/<name>.mjs, run by plain `node` (no tsx
// in production), and prebuilds the orchestrator's workflow bundle into dist/workflow-bundle.js. Assets a service
// reads next to its sources are copied to where its bundle looks for them. deploy/docker/Dockerfile runs this.
//   node scripts/build-services.mjs [--out <dir>]   (default: dist)
import { cpSync, existsSync, mkdirSync, readdirSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { builtinModules, createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ROOT } from './tools.mjs';
import { buildWorkflowBundle } from './workflow-bundle.mjs';

export const SERVICE_NAMES = [
  'gateway',
  'signing-portal',
  'identity',
  'orchestrator',
  'document-storage',
  'sealing',
  'notification',
  'archive',
];

/** Operator tools bundled beside the services, run as `node <out>/bin/<name>.mjs` (the image: /app/dist/bin/ops.mjs). */
export const TOOL_ENTRIES = { ops: 'packages/ops/src/main.ts' };

/**
 * Packages left out of the bundles and loaded from the image's production node_modules: Temporal's worker loads a
 * native module (core-bridge) and webpack/swc by dynamic require; pkcs11js is a native addon (PKCS#11 seal keys);
 * swagger-ui-dist and pdfjs-dist are served as files, resolved by path at runtime.
 */
export const EXTERNAL = ['@temporalio/*', '@swc/*', 'pkcs11js', 'swagger-ui-dist', 'pdfjs-dist'];

// Assets read at runtime relative to a service's src/ folder (`new URL('../x', import.meta.url)`); a bundle sits in
// <out>/services/, so `..` is <out>/. The test eID's client and people (test-eid-clients.json, dev-identities.json)
// are never among them: the image has no test eID.
const ASSETS = [
  { from: 'services/signing-portal/static', to: 'static' },
  { from: 'services/signing-portal/views', to: 'views' },
  { from: 'services/identity/dev-clients.json', to: 'dev-clients.json' },
  // Temporal loads the failure converter by path (packages/payload-codec/src/paths.ts looks for it here).
  { from: 'packages/payload-codec/failure-converter.cjs', to: 'failure-converter.cjs' },
];

// The workspace's own esbuild (tsx's dependency); its JS API needs only the platform binary package.
const esbuild = createRequire(createRequire(join(ROOT, 'package.json')).resolve('tsx/package.json'))('esbuild');

// Bundled CommonJS code calls require, __filename and __dirname, which an ES module lacks.
const BANNER = [
  "import { createRequire as __esignCreateRequire } from 'node:module';",
  "import { fileURLToPath as __esignFileURLToPath } from 'node:url';",
  'const require = __esignCreateRequire(import.meta.url);',
  'const __filename = __esignFileURLToPath(import.meta.url);',
  "const __dirname = __esignFileURLToPath(new URL('.', import.meta.url));",
].join('\n');

/** The package a bare import names: `@scope/name` or `name`. */
const packageOf = (specifier) =>
  specifier
    .split('/')
    .slice(0, specifier.startsWith('@') ? 2 : 1)
    .join('/');

/**
 * Makes the bundles in `outDir` runnable inside this checkout, as the image's production node_modules does: links
 * `<outDir>/node_modules/<package>` to where the workspace installed each external package the bundles import.
 */
function linkInstalledExternals(outDir, metafile) {
  // Packages resolved by path at runtime (not imported) are named in EXTERNAL.
  const imported = new Set(EXTERNAL.filter((name) => !name.includes('*')));
  for (const output of Object.values(metafile.outputs)) {
    for (const { path, external } of output.imports) {
      if (external && !path.startsWith('node:') && !builtinModules.includes(packageOf(path))) {
        imported.add(packageOf(path));
      }
    }
  }
  const installs = ['packages', 'services'].flatMap((group) =>
    readdirSync(join(ROOT, group)).map((name) => join(ROOT, group, name, 'node_modules')),
  );
  for (const name of imported) {
    const installed = installs.map((dir) => join(dir, name)).find((dir) => existsSync(dir));
    if (!installed) throw new Error(`${name}: imported by a bundle, installed in no workspace package`);
    mkdirSync(dirname(join(outDir, 'node_modules', name)), { recursive: true });
    symlinkSync(realpathSync(installed), join(outDir, 'node_modules', name), 'dir');
  }
}

/**
 * Builds the service bundles, the workflow bundle and the assets into `outDir` (emptied first). `linkExternals`:
 * also link the external packages from the workspace, so `node <outDir>/services/<name>.mjs` runs here (the
 * benchmarks run the services as the image does).
 */
export async function buildServices({
  outDir = join(ROOT, 'dist'),
  workflowBundle = true,
  linkExternals = false,
} = {}) {
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(join(outDir, 'services'), { recursive: true });
  const { metafile } = await esbuild.build({
    metafile: true,
    absWorkingDir: ROOT,
    entryPoints: {
      ...Object.fromEntries(SERVICE_NAMES.map((name) => [`services/${name}`, `services/${name}/src/main.ts`])),
      ...Object.fromEntries(Object.entries(TOOL_ENTRIES).map(([name, entry]) => [`bin/${name}`, entry])),
    },
    outdir: outDir,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    splitting: false,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    external: EXTERNAL,
    banner: { js: BANNER },
    legalComments: 'none',
    logLevel: 'warning',
  });
  for (const { from, to } of ASSETS) cpSync(join(ROOT, from), join(outDir, to), { recursive: true });
  if (linkExternals) linkInstalledExternals(outDir, metafile);
  if (workflowBundle) writeFileSync(join(outDir, 'workflow-bundle.js'), await buildWorkflowBundle());
  return outDir;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const at = process.argv.indexOf('--out');
  const outDir = await buildServices({ outDir: at > 0 ? resolve(process.argv[at + 1]) : undefined });
  console.log(`built ${SERVICE_NAMES.length} services, the operator CLI and the workflow bundle into ${outDir}`);
}
