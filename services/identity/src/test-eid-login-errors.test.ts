import { beforeAll, describe, expect, it } from 'vitest';
import { openLogin, submit, testEidUnderTest } from './test-eid-flow.js';
import { browse, CookieJar, csrfOf, form, type TestIdentity } from './test-support.js';

// The test eID's login form refusing what it must, and a login that is over or cancelled.
describe('test eID', () => {
  const eid = testEidUnderTest();
  let idp: TestIdentity;
  beforeAll(() => {
    idp = eid.idp();
  });

  it('shows the page again with an error for an unknown or empty national id, escaping what was typed', async () => {
    const flow = await openLogin(idp);
    const res = await browse(flow.jar, flow.pageUrl, form({ csrf: csrfOf(flow.html), nationalId: '<b>"x"</b>' }));
    expect(res.status).toBe(400);
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    const html = await res.text();
    expect(html).toContain('role="alert">No test identity has the national identity number &lt;b&gt;&quot;x&quot;');
    expect(html).toContain('value="&lt;b&gt;&quot;x&quot;&lt;/b&gt;"');
    expect(html).toContain('aria-invalid="true"');
    expect(html).not.toContain('<b>');

    const empty = await browse(flow.jar, flow.pageUrl, form({ csrf: csrfOf(flow.html), nationalId: '' }));
    expect(empty.status).toBe(400);
    expect(await empty.text()).toContain('Enter a national identity number');

    // The login is still open afterwards.
    const callback = await submit(idp, flow, { nationalId: '02028012345' });
    expect(callback.searchParams.get('code')).toBeTruthy();
  });

  it('refuses a form without the page token or without the browser interaction cookie', async () => {
    const flow = await openLogin(idp);
    const forged = await browse(flow.jar, flow.pageUrl, form({ csrf: 'forged', nationalId: '01017012345' }));
    expect(forged.status).toBe(403);
    const missing = await browse(flow.jar, flow.pageUrl, form({ nationalId: '01017012345' }));
    expect(missing.status).toBe(403);

    const otherBrowser = await browse(
      new CookieJar(),
      flow.pageUrl,
      form({ csrf: csrfOf(flow.html), nationalId: '01017012345' }),
    );
    expect(otherBrowser.status).toBe(400);
    expect(await otherBrowser.text()).toContain('This login is no longer open');

    const json = await browse(flow.jar, flow.pageUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(json.status).toBe(415);
    const big = await browse(flow.jar, flow.pageUrl, form({ csrf: csrfOf(flow.html), nationalId: 'x'.repeat(10_000) }));
    expect(big.status).toBe(413);
  });

  it('answers a login page that is over with an error page', async () => {
    const flow = await openLogin(idp);
    await submit(idp, flow, { nationalId: '01017012345' });
    const again = await browse(flow.jar, flow.pageUrl);
    expect(again.status).toBe(400);
    expect(again.headers.get('content-type')).toBe('text/html; charset=utf-8');
  });

  it('sends the signer back with access_denied on cancel', async () => {
    const flow = await openLogin(idp);
    const callback = await submit(idp, flow, { action: 'cancel' });
    expect(callback.searchParams.get('error')).toBe('access_denied');
    expect(callback.searchParams.get('state')).toBe(flow.state);
    expect(callback.searchParams.get('code')).toBeNull();
  });
});
