import { newId } from '@esign/temporal-contracts/random';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stackClients } from '../support/clients.js';
import { uploadOk } from '../support/documents.js';
import { mailTo, uniqueAddress } from '../support/inbox.js';
import { api } from '../support/merchants.js';
import { portalSession, postForm } from '../support/portal.js';
import { codeFor, placeOrder } from '../support/portal-walk.js';
import { SignerLimits } from '../../services/signing-portal/src/limits.js';

async function events(orderId: string, taskId: string): Promise<Array<{ eventType: string; data?: string }>> {
  return (await (await api('demo', `/orders/${orderId}/tasks/${taskId}/events`)).json()) as Array<{
    eventType: string;
    data?: string;
  }>;
}

// Issue 29, one-time codes: the probe's guessing races and code floods replayed on the real stack, and the limits'
// counting in Redis.
describe('security: one-time codes', () => {
  let c: Awaited<ReturnType<typeof stackClients>>;
  beforeAll(async () => {
    c = await stackClients();
  });
  afterAll(async () => {
    await c?.close();
  });

  async function otpOrder() {
    const to = uniqueAddress('otp');
    const ref = await uploadOk('demo', 'Code-signed terms.', 'text/plain');
    const { id, links } = await placeOrder([
      {
        id: 'signer1',
        documents: [{ id: 'd1', action: 'SIGN', source: 'SESSION', documentRef: ref }],
        signatureMethods: [{ name: 'email-otp' }],
        subject: { attributes: [{ name: 'email', value: to }] },
      },
    ]);
    return { id, link: links.signer1!, to };
  }

  it('compares and counts one-time codes in one step: racing guesses cannot outrun the limit, and the method locks', async () => {
    const { id, link, to } = await otpOrder();
    const { origin, cookie, csrf } = await portalSession(link);
    const asked = await postForm(origin, '/std/login', cookie, { csrf, method: 'email-otp' });
    expect([asked.status, asked.headers.get('location')]).toEqual([303, '/std/otp']);
    const code = await codeFor(to);
    const wrong = code === '000000' ? '111111' : '000000';

    // The probe's race: 11 wrong guesses at once, the right code right after them.
    const guesses = await Promise.all(
      Array.from({ length: 11 }, () => postForm(origin, '/std/otp', cookie, { csrf, code: wrong })),
    );
    for (const g of guesses) expect([400, 403]).toContain(g.status);
    // The code was spent after five tries and the method locked after ten: the right code identifies nobody (the
    // locked challenge is gone from the session, so the portal sends the signer back to the task).
    const right = await postForm(origin, '/std/otp', cookie, { csrf, code });
    expect([right.status, right.headers.get('location')]).toEqual([303, '/std/task']);
    const task = await (await fetch(`${origin}/std/task`, { headers: { cookie } })).text();
    expect(task).toContain('action="/std/login"');
    expect(task).not.toContain('id="sign-form"');
    expect(guesses.filter((g) => g.status === 403).length).toBeGreaterThan(0);

    const recorded = await events(id, 'signer1');
    const refused = recorded.filter((e) => e.eventType === 'ERROR' && e.data?.startsWith('one-time code'));
    // Ten wrong codes lock the method; a guess already past the lock check when it was set still counts (11 at most).
    const wrongs = refused.filter((e) => e.data!.includes('wrong or expired code')).length;
    expect(wrongs).toBeGreaterThanOrEqual(10);
    expect(wrongs).toBeLessThanOrEqual(11);
    expect(refused.filter((e) => e.data!.includes('locked after'))).toHaveLength(1);
    expect(recorded.map((e) => e.eventType)).not.toContain('USER_AUTHENTICATED');

    // Locked for the task, also for a new session: no new code is sent.
    const again = await portalSession(link);
    const mails = (await mailTo(to)).length;
    const refusedAsk = await postForm(origin, '/std/login', again.cookie, { csrf: again.csrf, method: 'email-otp' });
    expect(refusedAsk.status).toBe(403);
    await new Promise((r) => setTimeout(r, 1000));
    expect((await mailTo(to)).length).toBe(mails);
  });

  it('sends one code for a flood of challenges, and refuses the rest with Retry-After', async () => {
    const { link, to } = await otpOrder();
    const { origin, cookie, csrf } = await portalSession(link);
    const asks = await Promise.all(
      Array.from({ length: 8 }, () => postForm(origin, '/std/login', cookie, { csrf, method: 'email-otp' })),
    );
    expect(asks.filter((a) => a.status === 303)).toHaveLength(1);
    const refused = asks.filter((a) => a.status === 429);
    expect(refused).toHaveLength(7);
    for (const r of refused) expect(Number(r.headers.get('retry-after'))).toBeGreaterThan(0);
    await codeFor(to);
    await new Promise((r) => setTimeout(r, 1500));
    expect((await mailTo(to)).filter((m) => m.subject === 'Your signing code')).toHaveLength(1);
  });

  it('counts code challenges per task, recipient and client address, wrong codes per task and address (Redis)', async () => {
    const otp = {
      windowSeconds: 60,
      challengesPerTask: 2,
      challengesPerRecipient: 3,
      challengesPerAddress: 4,
      resendSeconds: 0,
      failuresPerTask: 3,
      failuresPerAddress: 5,
      lockSeconds: 60,
    };
    const limits = new SignerLimits({
      redis: c.redis,
      keyPrefix: `limits-${newId()}:`,
      limits: { linkOpensPerMinute: 2, otp },
    });
    const task = (n: number) => ({ merchantId: 'm1', orderId: 'o1', taskId: `t${n}`, method: 'sms-otp' });
    const ask = async (n: number, recipient: string, address: string) => {
      const verdict = await limits.challenge(task(n), recipient, address);
      return verdict.ok ? 'ok' : verdict.reason;
    };
    expect(await ask(1, '+4790000001', '10.0.0.1')).toBe('ok');
    expect(await ask(1, '+4790000001', '10.0.0.1')).toBe('ok');
    expect(await ask(1, '+4790000001', '10.0.0.1')).toBe('busy'); // the task's third code
    expect(await ask(2, '+4790000001', '10.0.0.1')).toBe('ok');
    expect(await ask(3, '+4790000001', '10.0.0.1')).toBe('busy'); // the recipient's fourth code, from another task
    expect(await ask(4, '+4790000002', '10.0.0.1')).toBe('ok');
    expect(await ask(5, '+4790000003', '10.0.0.1')).toBe('busy'); // the address's fifth code
    expect(await ask(6, '+4790000004', '10.0.0.2')).toBe('ok');

    expect(await limits.failure(task(7), '10.0.0.3')).toEqual({ failures: 1, locked: false });
    expect(await limits.failure(task(7), '10.0.0.3')).toEqual({ failures: 2, locked: false });
    expect(await limits.failure(task(7), '10.0.0.3')).toEqual({ failures: 3, locked: true });
    expect(await limits.failure(task(7), '10.0.0.3')).toEqual({ failures: 4, locked: false }); // locked once
    expect(await limits.lockedFor(task(7))).toBeGreaterThan(0);
    expect(await limits.lockedFor(task(8))).toBe(0);
    expect(await ask(7, '+4790000005', '10.0.0.4')).toBe('locked');
    expect((await limits.addressBlocked('10.0.0.3')).ok).toBe(true);
    await limits.failure(task(8), '10.0.0.3');
    const blocked = await limits.addressBlocked('10.0.0.3');
    expect(blocked.ok).toBe(false);
    expect(blocked.ok ? 0 : blocked.retryAfter).toBeGreaterThan(0);

    expect((await limits.linkOpen('code-a')).ok).toBe(true);
    expect((await limits.linkOpen('code-a')).ok).toBe(true);
    expect((await limits.linkOpen('code-a')).ok).toBe(false);
    expect((await limits.linkOpen('code-b')).ok).toBe(true);
  });
});
