// `npm run fuzz`: the full fuzz run on a throwaway stack of its own (free ports, a temp dir, stopped by pid at the
// end): schemathesis with a bigger budget than the integration test (FUZZ_MAX_EXAMPLES per operation and phase,
// default 100; FUZZ_SEED, default fixed, makes a run repeatable), then the whole hostile-input corpus with its
// nothing-left-behind checks, the PDFs the contract accepts (a compression bomb, JavaScript) with the gateway's
// memory watched, and finally the log scan over every log of the run. Prints cases run, failures and 5xx; exits 1
// on any failure. Reports are kept in the printed directory.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '@esign/config';
import { createRedis, createS3 } from '@esign/service-runtime';
import { formatFindings, projectNeedles, scanLogs } from '../support/log-scan.js';
import { fetchToken, merchant, seedResources } from './merchant.js';
import { compressionBombPdf, javascriptPdf } from './pdfs.js';
import { corpusSummary, runCorpus } from './run-corpus.js';
import { runSchemathesis, summarize } from './schemathesis.js';
import { startFuzzStack } from './stack.js';

const maxExamples = Number(process.env.FUZZ_MAX_EXAMPLES ?? 100);
const seed = Number(process.env.FUZZ_SEED ?? 20261129);
const say = (line: string) => process.stdout.write(`${line}\n`);

function rssMiB(pid: number): number {
  const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return Math.round(Number(kb) / 1024);
}

const started = Date.now();
say(`fuzz: starting a stack (max examples ${maxExamples}, seed ${seed})…`);
const fuzz = await startFuzzStack((m) => say(`  ${m}`));
const failures: string[] = [];
const logDir = fuzz.stack.logDir;
try {
  const { stack, origin } = fuzz;
  const gatewayPid = stack.services.find((s) => s.name === 'gateway')!.process.pid;
  const workDir = mkdtempSync(join(tmpdir(), 'esign-fuzz-reports-'));

  // 1. schemathesis, as the demo merchant, with live resources to reach past 404.
  const demo = merchant(origin, await fetchToken(origin, 'demo-merchant', 'demo-secret'));
  const knownIds = await seedResources(demo);
  say(`\nschemathesis (reports in ${workDir}/reports):`);
  const st = await runSchemathesis({
    schemaUrl: `${demo.api}/openapi.json`,
    baseUrl: demo.api,
    token: demo.token,
    workDir,
    maxExamples,
    workers: 4,
    deterministic: false,
    seed,
    knownIds,
    hostilePathValues: true,
    echo: true,
  });
  if (st.exitCode !== 0 || st.casesWithFailures > 0 || st.errors > 0) {
    failures.push(`schemathesis: exit ${st.exitCode}, ${st.casesWithFailures} cases with failures`);
  }
  if (st.serverErrors > 0) failures.push(`schemathesis: ${st.serverErrors} 5xx answers`);

  // 2. The hostile corpus, as the other merchant, each refusal checked against its storage.
  const config = loadConfig(stack.env);
  const redis = createRedis(config, () => undefined);
  const s3 = createS3(config);
  const other = merchant(origin, await fetchToken(origin, 'other-merchant', 'other-secret'));
  const seeded = await other.send('POST', '/documents', { headers: { 'content-type': 'text/plain' }, body: 'doc' });
  const documentRef = (JSON.parse(seeded.text) as { documentId: string }).documentId;
  say('\nhostile corpus:');
  const outcomes = await runCorpus({
    origin,
    token: other.token,
    context: { basePath: '/enterprise/sign', documentRef },
    merchantId: 'other-merchant',
    storage: { config, redis, s3 },
    onOutcome: (o) => {
      if (o.problem) say(`  ✗ ${o.case.name}: ${o.problem}`);
    },
  });
  redis.disconnect();
  const corpusFailures = outcomes.filter((o) => o.problem).length;
  if (corpusFailures) failures.push(`hostile corpus: ${corpusFailures} cases answered wrongly`);

  // 3. PDFs the contract accepts: stored as bytes, the gateway's memory unmoved.
  const rssBefore = rssMiB(gatewayPid);
  const bomb = compressionBombPdf(4);
  const accepted: string[] = [];
  for (const [name, pdf] of [
    [`compression bomb (${bomb.pdf.length} bytes inflating to 4 GiB)`, bomb.pdf],
    ['PDF with /OpenAction JavaScript', javascriptPdf()],
  ] as const) {
    const res = await other.send('POST', '/documents', { headers: { 'content-type': 'application/pdf' }, body: pdf });
    accepted.push(`  ${name}: ${res.status}`);
    if (res.status !== 201) failures.push(`${name}: answered ${res.status}`);
  }
  const rssGrowth = rssMiB(gatewayPid) - rssBefore;
  const health = (await fetch(`${stack.urls.gatewayOperator}/healthz`)).status;
  if (rssGrowth > 64 || health !== 200)
    failures.push(`gateway after the accepted PDFs: +${rssGrowth} MiB, /healthz ${health}`);

  say('\n──────── fuzz summary ────────');
  say(`schemathesis 4 (seed ${seed}, max examples ${maxExamples}, all phases):`);
  say(summarize(st));
  say(corpusSummary(outcomes));
  say(`accepted PDFs:\n${accepted.join('\n')}\n  gateway RSS growth: ${rssGrowth} MiB, /healthz ${health}`);
} finally {
  await fuzz.stop();
}

// 4. The logs of the whole run (the stack has stopped, so they are complete).
const scanned = { files: 0, lines: 0 };
const findings = scanLogs(logDir, projectNeedles(fuzz.stack.env), scanned);
say(
  `log scan: ${scanned.files} log files, ${scanned.lines} lines, ${findings.length} secret(s) or personal data found`,
);
if (findings.length) {
  say(formatFindings(findings));
  say(`(the logs are kept in ${logDir})`);
  failures.push(`log scan: ${findings.length} findings`);
} else fuzz.remove();
say(`took ${Math.round((Date.now() - started) / 1000)} s`);
if (failures.length) {
  say(`\nFAILED:\n${failures.map((f) => `  ${f}`).join('\n')}`);
  process.exit(1);
}
say('\nall passed: 5xx = 0');
