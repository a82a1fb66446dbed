// Runs schemathesis (the `st` CLI, installed by the bootstrap into the project venv) against the OpenAPI document a
// gateway serves, authenticated as a merchant, and reads what it did from its machine-readable reports: the JSON run
// report (cases, failures, errors), the JUnit XML (per operation) and the HAR log (every response's status).
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { toolPath } from '../../scripts/tools.mjs';

/**
 * Every check schemathesis 4 has for an OpenAPI service except two that cannot hold for this contract:
 * `positive_data_acceptance` (a schema-valid order is still refused when its documentRef names no live upload or it
 * breaks a cross-field rule, as the contract requires) and `object_level_authorization` (needs a second user in a
 * Web Fuzzing Commons auth file; tenant isolation has its own matrix test).
 */
export const CHECKS = [
  'not_a_server_error',
  'status_code_conformance',
  'content_type_conformance',
  'response_headers_conformance',
  'response_schema_conformance',
  'negative_data_rejection',
  'missing_required_header',
  'unsupported_method',
  'allow_header_conformance',
  'use_after_free',
  'ensure_resource_availability',
  'ignored_auth',
];

/** Hostile values schemathesis also puts into every path parameter (a share of the cases), next to its own. */
export const HOSTILE_PATH_VALUES = [
  '..',
  '../../etc/passwd',
  '..%2f..%2fetc%2fpasswd',
  '%2e%2e%2f%2e%2e%2f',
  '..\\..\\windows',
  '%00',
  'a%0d%0aX-Injected: 1',
  '%ff%fe',
  '%c0%ae%c0%ae',
  '%',
  'A'.repeat(4096),
  '\u202eevil',
];

export interface SchemathesisOptions {
  /** The served OpenAPI document, e.g. http://127.0.0.1:PORT/enterprise/sign/openapi.json. */
  schemaUrl: string;
  /** The API base URL to test (the document's `servers` entry names the public URL, which may be another gateway). */
  baseUrl: string;
  /** A merchant's bearer token. */
  token: string;
  /** Reports, config and schemathesis' own caches go here (it writes into its working directory). */
  workDir: string;
  maxExamples: number;
  workers: number;
  /** Same cases on every run (no seed needed, no example database); otherwise `seed` makes the run repeatable. */
  deterministic: boolean;
  seed?: number;
  phases?: string[];
  /** Known-good values per path parameter name (e.g. a live order id), used for half of the cases. */
  knownIds?: Record<string, string[]>;
  /** Also put HOSTILE_PATH_VALUES into the path parameters. */
  hostilePathValues?: boolean;
  requestTimeoutSeconds?: number;
  /** Output lines as they come (the full run shows progress); otherwise only collected. */
  echo?: boolean;
}

export interface SchemathesisResult {
  exitCode: number;
  output: string;
  /** Operations selected and tested. */
  operations: { selected: number; tested: number };
  /** Test cases generated and run (JSON report). */
  cases: number;
  /** Test cases with at least one failed check, and distinct failures (JSON report). */
  casesWithFailures: number;
  uniqueFailures: number;
  /** Errors (schemathesis could not run a case: network error, timeout…). */
  errors: number;
  junit: { tests: number; failures: number; errors: number; failedCases: string[] };
  /** Responses by status code (HAR log: every request sent). */
  statuses: Record<string, number>;
  requests: number;
  serverErrors: number;
  reportDir: string;
}

const tomlString = (s: string) => JSON.stringify(s);

/**
 * A schema-violating request may be refused with any of these (schemathesis' list plus 413: a body over the size
 * limit is refused before it is read, which is how this API refuses a too-long field in a huge body).
 */
const REJECTION_STATUSES = ['400', '401', '403', '404', '405', '406', '409', '413', '415', '422', '428', '429', '5xx'];

/** schemathesis.toml: the rejection statuses, and known and hostile values bound to path parameters as dictionaries. */
function configFile(o: SchemathesisOptions): string {
  const lines = [
    '[checks.negative_data_rejection]',
    `expected-statuses = [${REJECTION_STATUSES.map(tomlString).join(', ')}]`,
    '',
  ];
  const names = new Set([...Object.keys(o.knownIds ?? {}), ...(o.hostilePathValues ? ['*'] : [])]);
  if (names.size === 0) return `${lines.join('\n')}\n`;
  const hostile = HOSTILE_PATH_VALUES.map(tomlString).join(', ');
  for (const [name, values] of Object.entries(o.knownIds ?? {})) {
    const all = [...values, ...(o.hostilePathValues ? HOSTILE_PATH_VALUES : [])];
    lines.push(`[dictionaries.${name}]`, `values = [${all.map(tomlString).join(', ')}]`, '');
  }
  if (o.hostilePathValues) lines.push('[dictionaries.hostile]', `values = [${hostile}]`, '');
  lines.push('[parameters]');
  for (const name of ['documentId', 'orderId', 'taskId', 'packagingTaskId', 'archiveId']) {
    const dictionary = o.knownIds?.[name] ? name : o.hostilePathValues ? 'hostile' : undefined;
    if (dictionary) lines.push(`"path.${name}" = { dictionary = "${dictionary}", probability = 0.5 }`);
  }
  return `${lines.join('\n')}\n`;
}

function attribute(xml: string, name: string): number {
  const m = new RegExp(`<testsuites[^>]*\\s${name}="(\\d+)"`).exec(xml);
  return m ? Number(m[1]) : NaN;
}

function newest(dir: string, prefix: string): string {
  const files = readdirSync(dir)
    .filter((f) => f.startsWith(prefix))
    .sort();
  const file = files.at(-1);
  if (!file) throw new Error(`schemathesis wrote no ${prefix}* report in ${dir}`);
  return join(dir, file);
}

interface JsonReport {
  operations: { selected: number; tested: number };
  test_cases: { generated: number; with_failures: number; unique_failures: number; errored: number };
  errors: unknown[];
}

interface Har {
  log: { entries: Array<{ response: { status: number } }> };
}

/** Runs `st run` to its end and parses its reports (throws when schemathesis wrote none, i.e. it did not run). */
export async function runSchemathesis(o: SchemathesisOptions): Promise<SchemathesisResult> {
  const reportDir = join(o.workDir, 'reports');
  mkdirSync(reportDir, { recursive: true });
  const config = join(o.workDir, 'schemathesis.toml');
  writeFileSync(config, configFile(o));
  const args = [
    '--config-file',
    config,
    'run',
    o.schemaUrl,
    '--url',
    o.baseUrl,
    '--header',
    `Authorization: Bearer ${o.token}`,
    '--checks',
    CHECKS.join(','),
    '--max-examples',
    String(o.maxExamples),
    '--workers',
    String(o.workers),
    ...(o.deterministic ? ['--generation-deterministic'] : ['--seed', String(o.seed ?? 1)]),
    ...(o.phases ? ['--phases', o.phases.join(',')] : []),
    '--request-timeout',
    String(o.requestTimeoutSeconds ?? 30),
    '--report',
    'junit,json,har',
    '--report-dir',
    reportDir,
    '--no-color',
  ];
  let output = '';
  const exitCode = await new Promise<number>((resolve, reject) => {
    // Its working directory is the work dir: schemathesis keeps caches (.hypothesis, .schemathesis) in it.
    const child = spawn(toolPath('schemathesis'), args, { cwd: o.workDir, stdio: ['ignore', 'pipe', 'pipe'] });
    const collect = (chunk: Buffer) => {
      output += chunk.toString();
      // Echoed with long lines cut: a reproduction command may carry a body of megabytes.
      if (o.echo) process.stdout.write(chunk.toString().replace(/^(.{2000}).+$/gm, '$1…'));
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.on('error', reject);
    child.on('close', (code) => resolve(code ?? -1));
  });
  if (!existsSync(reportDir) || readdirSync(reportDir).length === 0) {
    throw new Error(`schemathesis exited with ${exitCode} and wrote no report:\n${output}`);
  }
  const json = JSON.parse(readFileSync(newest(reportDir, 'json-'), 'utf8')) as JsonReport;
  const xml = readFileSync(newest(reportDir, 'junit-'), 'utf8');
  const har = JSON.parse(readFileSync(newest(reportDir, 'har-'), 'utf8')) as Har;
  const statuses: Record<string, number> = {};
  for (const entry of har.log.entries) {
    const status = String(entry.response.status);
    statuses[status] = (statuses[status] ?? 0) + 1;
  }
  const failedCases = [...xml.matchAll(/<testcase name="([^"]+)"[^>]*>\s*<(?:failure|error)/g)].map((m) => m[1]!);
  return {
    exitCode,
    output,
    operations: { selected: json.operations.selected, tested: json.operations.tested },
    cases: json.test_cases.generated,
    casesWithFailures: json.test_cases.with_failures,
    uniqueFailures: json.test_cases.unique_failures,
    errors: json.errors.length + json.test_cases.errored,
    junit: {
      tests: attribute(xml, 'tests'),
      failures: attribute(xml, 'failures'),
      errors: attribute(xml, 'errors'),
      failedCases,
    },
    statuses,
    requests: har.log.entries.length,
    serverErrors: Object.entries(statuses)
      .filter(([status]) => Number(status) >= 500)
      .reduce((sum, [, n]) => sum + n, 0),
    reportDir,
  };
}

/** One line per figure, for logs and docs/reliability.md. */
export function summarize(r: SchemathesisResult): string {
  const statuses = Object.entries(r.statuses)
    .sort(([a], [b]) => Number(a) - Number(b))
    .map(([s, n]) => `${s}×${n}`)
    .join(' ');
  return [
    `operations tested: ${r.operations.tested}/${r.operations.selected}`,
    `cases: ${r.cases} (requests sent: ${r.requests})`,
    `cases with failures: ${r.casesWithFailures} (unique failures: ${r.uniqueFailures}), errors: ${r.errors}`,
    `5xx responses: ${r.serverErrors}`,
    `statuses: ${statuses}`,
    `junit: ${r.junit.tests} test cases, ${r.junit.failures} failures, ${r.junit.errors} errors`,
  ].join('\n');
}
