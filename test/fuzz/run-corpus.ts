// Sends the whole hostile corpus to a gateway, one case at a time, judging each answer and (given storage clients)
// checking that a refused case left nothing behind.
import { CORPUS } from './corpus.js';
import { judge, sendRaw } from './corpus/answers.js';
import type { CorpusCase, CorpusContext } from './corpus/types.js';
import { added, snapshot, type StorageClients } from './leftovers.js';

export interface CorpusOutcome {
  case: CorpusCase;
  status: number;
  /** Why the answer or the storage afterwards is wrong; null when all is as the contract asks. */
  problem: string | null;
}

export async function runCorpus(opts: {
  origin: string;
  token: string;
  context: CorpusContext;
  merchantId: string;
  storage?: StorageClients;
  cases?: CorpusCase[];
  onOutcome?: (o: CorpusOutcome) => void;
}): Promise<CorpusOutcome[]> {
  const outcomes: CorpusOutcome[] = [];
  for (const c of opts.cases ?? CORPUS) {
    const before = opts.storage ? await snapshot(opts.storage, opts.merchantId) : undefined;
    let outcome: CorpusOutcome;
    try {
      const answer = await sendRaw(opts.origin, c.request(opts.context), opts.token);
      let problem = judge(c, answer);
      if (!problem && before && opts.storage && answer.status >= 400) {
        const left = added(before, await snapshot(opts.storage, opts.merchantId));
        if (left.length) problem = `left behind: ${left.join(', ')}`;
      }
      outcome = { case: c, status: answer.status, problem };
    } catch (err) {
      outcome = { case: c, status: 0, problem: `no answer: ${err instanceof Error ? err.message : String(err)}` };
    }
    outcomes.push(outcome);
    opts.onOutcome?.(outcome);
  }
  return outcomes;
}

/** Counts by group and answer, for the run's summary. */
export function corpusSummary(outcomes: CorpusOutcome[]): string {
  const groups = new Map<string, { cases: number; refused: number; accepted: number; failed: number }>();
  for (const o of outcomes) {
    const g = groups.get(o.case.group) ?? { cases: 0, refused: 0, accepted: 0, failed: 0 };
    g.cases++;
    if (o.status >= 400 && o.status < 500) g.refused++;
    if (o.status >= 200 && o.status < 300) g.accepted++;
    if (o.problem) g.failed++;
    groups.set(o.case.group, g);
  }
  const serverErrors = outcomes.filter((o) => o.status >= 500).length;
  const lines = [...groups].map(
    ([group, g]) => `  ${group.padEnd(17)} ${g.cases} cases, ${g.refused} refused with a 4xx, ${g.failed} wrong`,
  );
  const wrong = outcomes.filter((o) => o.problem).length;
  return [
    `hostile corpus: ${outcomes.length} cases, 5xx: ${serverErrors}, wrong: ${wrong}`,
    ...lines,
    ...outcomes.filter((o) => o.problem).map((o) => `  ✗ ${o.case.name}: ${o.problem}`),
  ].join('\n');
}
