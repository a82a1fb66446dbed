// The chaos run's result as text tables: what was done, what was injected, what was found.
import type { ChaosReport } from './types.js';
import { FAULTS } from './faults.js';

const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** `{a: 2, b: 1}` as "2× a, 1× b", most first. */
const counted = (counts: Record<string, number>) =>
  Object.entries(counts)
    .sort((x, y) => y[1] - x[1])
    .map(([what, n]) => `${n}× ${what}`)
    .join(', ');

function table(head: string[], rows: Array<Array<string | number>>): string {
  const cells = [head, ...rows.map((r) => r.map(String))];
  const widths = head.map((_, i) => Math.max(...cells.map((r) => r[i]!.length)));
  const line = (r: string[]) => `| ${r.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(cells[0]!), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...cells.slice(1).map(line)].join(
    '\n',
  );
}

export function formatReport(r: ChaosReport): string {
  const v = r.verification;
  const n = v.notifications;
  const retries = r.clientRetries;
  const byStatus = counted(Object.fromEntries(Object.entries(retries.byStatus).map(([k, v]) => [`HTTP ${k}`, v])));
  const parts = [
    `Chaos run ${r.runId}: ${r.orders.total} orders (${r.orders.sign} signed, ${r.orders.reject} rejected, ` +
      `${r.orders.cancel} cancelled), ${r.faults.length} faults, ${r.options.concurrency} in flight`,
    '',
    table(
      ['Fault', 'Applied', 'Downtime total', 'Downtime max', 'Old process', 'Recorded as ERROR', 'URL calls repeated'],
      r.faultSummary.map((f) => [
        FAULTS[f.kind].label,
        f.count,
        s(f.totalDownMs),
        s(f.maxDownMs),
        counted(f.ended),
        f.recordedErrors,
        f.repeatedUrlCalls,
      ]),
    ),
    '',
    table(
      ['Fault', 'Client steps retried during it (step, why)'],
      r.faultSummary.map((f) => [FAULTS[f.kind].label, counted(f.hits) || 'none']),
    ),
    '',
    table(
      ['Check', 'Result'],
      [
        ['orders driven to their end', `${r.orders.driven} / ${r.orders.total}`],
        ['faults while orders were being driven', `${r.faultsDuringLoad} / ${r.faults.length}`],
        ['orders checked (state, events, documents)', v.ordersChecked],
        [
          'originals checked (SHA-256) / results checked (sealed original)',
          `${v.originalsChecked} / ${v.resultsChecked}`,
        ],
        ['documents lost', v.documentsLost],
        ['duplicate orders (one Idempotency-Key)', v.duplicateOrders],
        [
          'notifications expected (URL / e-mail)',
          `${n.expected} (${n.byChannel.URL.expected} / ${n.byChannel.EMAIL.expected})`,
        ],
        ['delivered exactly once', n.deliveredOnce],
        ['lost (nothing recorded)', n.lost],
        ['duplicates', n.duplicates],
        [
          'URL calls repeated (same X-Sign-Delivery-Id) after a fault hit between the 200 and its record',
          n.repeatedAfterFault.length,
        ],
        ['not delivered, recorded as ERROR (at most once)', n.lostRecordedAsError],
        ['delivered once, recorded as ERROR', n.deliveredRecordedAsError],
        ['unexpected deliveries', n.unexpected],
        ['URL calls refused on purpose (503) and retried', n.refusedOnPurpose],
        [
          'Redis keys: live / TTL-bounded / timer lists / total',
          `${v.redisKeys.live} / ${v.redisKeys.ttlBounded} / ${v.redisKeys.timers} / ${v.redisKeys.total}`,
        ],
        [
          'S3 objects: live / abandoned uploads awaiting expiry / total',
          `${v.s3Objects.live} / ${v.s3Objects.awaitingExpiry} / ${v.s3Objects.total}`,
        ],
        ['orphaned keys and objects', v.orphans],
        ['unplanned process exits', r.unplannedExits.length],
        ['uploads repeated after a lost answer', retries.uploadsRepeated],
        [
          'creations answered 201 twice for one Idempotency-Key (every 5th order repeats on purpose)',
          retries.creationsAnsweredTwice,
        ],
        [
          'client retries: connection / answers / signer Updates',
          `${retries.connection} / ${byStatus || 'none'} / ${retries.signerActions}`,
        ],
        [
          'durations: stack start / load / settle / checks / total',
          [
            s(r.durations.stackStartMs),
            s(r.durations.loadMs),
            s(r.durations.settleMs),
            s(r.durations.verifyMs),
            s(r.durations.totalMs),
          ].join(' / '),
        ],
      ],
    ),
  ];
  if (retries.signerActionsFailed.length) {
    parts.push('', 'Signer Updates failed by the workflow (repeated by the signer):');
    parts.push(...retries.signerActionsFailed.map((f) => `  ${f}`));
  }
  if (n.repeatedAfterFault.length) {
    parts.push('', 'URL callbacks called again after a fault (at least once; receivers deduplicate by delivery id):');
    parts.push(
      ...n.repeatedAfterFault.map((x) => `  [${FAULTS[x.fault].label}] ${x.delivery}: 200 answered ${x.delivered}×`),
    );
  }
  if (r.recordedErrors.length) {
    parts.push('', 'Recorded as ERROR (at most once):');
    parts.push(...r.recordedErrors.map((e) => `  [${e.fault ? FAULTS[e.fault].label : 'no fault'}] ${e.what}`));
  }
  if (r.retriesOutsideFaults.length) {
    parts.push('', `Client retries outside any fault window: ${r.retriesOutsideFaults.length}`);
    parts.push(...r.retriesOutsideFaults.slice(0, 20).map((e) => `  at ${s(e.at)}: ${e.what}`));
  }
  parts.push(
    '',
    r.problems.length ? `FAILED: ${r.problems.length} problems` : 'PASSED: nothing lost, nothing twice',
    ...r.problems.map((p) => `  ${p}`),
  );
  return parts.join('\n');
}
