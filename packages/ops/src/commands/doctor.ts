import { ConfigError, type Config } from '@esign/config';
import type { OpsContext } from '../context.js';
import { table, type Outcome } from '../output.js';
import { DOCTOR_CHECKS, type CheckResult, type Verdict } from '../doctor-checks.js';

const TIMEOUT_MS = 8000;

function withTimeout(check: Promise<CheckResult>): Promise<CheckResult> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<CheckResult>((resolve) => {
    timer = setTimeout(
      () => resolve({ verdict: 'fail', detail: `no answer within ${TIMEOUT_MS / 1000} s` }),
      TIMEOUT_MS,
    );
  });
  return Promise.race([check, late]).finally(() => clearTimeout(timer));
}

export interface DoctorItem {
  item: string;
  verdict: Verdict;
  detail: string;
}

/**
 * Checks the configuration and every dependency, concurrently, each with a verdict: ok, warn (works, but not as it
 * should be in production), fail. Fails (exit 1) when any item fails.
 */
export async function doctor(ctx: OpsContext): Promise<Outcome<{ ok: boolean; items: DoctorItem[] }>> {
  const items: DoctorItem[] = [];
  let config: Config | undefined;
  try {
    config = ctx.config();
    ctx.settings();
    items.push({ item: 'configuration', verdict: 'ok', detail: 'every variable valid' });
  } catch (err) {
    const detail = err instanceof ConfigError ? err.problems.join('; ') : (err as Error).message;
    items.push({ item: 'configuration', verdict: 'fail', detail });
  }
  const names = Object.keys(DOCTOR_CHECKS);
  const results = await Promise.all(
    names.map((name) =>
      config
        ? withTimeout(DOCTOR_CHECKS[name]!(ctx, config)).catch((err: unknown): CheckResult => ({
            verdict: 'fail',
            detail: err instanceof Error ? err.message : String(err),
          }))
        : Promise.resolve<CheckResult>({ verdict: 'fail', detail: 'not checked: the configuration is invalid' }),
    ),
  );
  names.forEach((item, i) => items.push({ item, ...results[i]! }));
  const ok = items.every((i) => i.verdict !== 'fail');
  const text = [
    table(
      ['ITEM', 'VERDICT', 'DETAIL'],
      items.map((i) => [i.item, i.verdict.toUpperCase(), i.detail]),
    ),
    '',
    ok ? 'doctor: no failures' : `doctor: ${items.filter((i) => i.verdict === 'fail').length} failure(s)`,
  ].join('\n');
  return { ok, json: { ok, items }, text };
}
