import { beforeAll, describe, expect, it } from 'vitest';
import { accountIdFor } from './identities.js';
import { DIGESTS, exchange, openLogin, submit, testEidUnderTest } from './test-eid-flow.js';
import { browse, CookieJar, type TestIdentity } from './test-support.js';

// The test eID's discovery, login page and logins (bad input: test-eid-login-errors, test-eid-authorize and
// test-eid-token; settings: test-eid-config).
describe('test eID', () => {
  const eid = testEidUnderTest();
  let idp: TestIdentity;
  beforeAll(() => {
    idp = eid.idp();
  });
  const { loginAs, verifyIdToken } = eid;

  it('advertises the authorization code flow with PKCE, the methods and the claims', async () => {
    const doc = (await (await fetch(idp.discoveryUrl)).json()) as Record<string, unknown>;
    expect(doc).toMatchObject({
      authorization_endpoint: `${idp.issuer}/connect/authorize`,
      response_types_supported: ['code'],
      grant_types_supported: ['authorization_code', 'client_credentials'],
      code_challenge_methods_supported: ['S256'],
      claims_parameter_supported: true,
      id_token_signing_alg_values_supported: ['RS256'],
    });
    expect(doc.scopes_supported).toEqual(expect.arrayContaining(['openid', 'profile', 'signicat-api']));
    expect(doc.acr_values_supported).toEqual(expect.arrayContaining(['nbid-sign', 'sbid-sign', 'mitid', 'ftn-sign']));
    expect(doc.claims_supported).toEqual(
      expect.arrayContaining(['name', 'birthdate', 'national_id', 'country', 'acr', 'auth_time', 'esign_digests']),
    );
  });

  it('shows an accessible, framing-proof login page naming the method and every test identity', async () => {
    const flow = await openLogin(idp, { esign_digests: DIGESTS.join(',') });
    const page = await browse(flow.jar, flow.pageUrl);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('x-frame-options')).toBe('DENY');
    expect(page.headers.get('cache-control')).toBe('no-store');
    const csp = page.headers.get('content-security-policy')!;
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("form-action 'self' http://127.0.0.1:8081");
    const { html } = flow;
    expect(html).toMatch(/^<!doctype html>\n<html lang="en">/);
    expect(html).toContain('<h1>Log in with nbid-sign <span class="muted">(test eID)</span></h1>');
    expect(html).not.toMatch(/<script|<link|src=|https?:\/\/(?!127)/);
    for (const [nationalId, name] of [
      ['01017012345', 'Kari Nordmann'],
      ['197503031234', 'Anna Andersson'],
      ['0505651234', 'Mette Hansen'],
      ['070777-1234', 'Matti Meikäläinen'],
    ]) {
      expect(html).toContain(`<button type="submit" name="nationalId" value="${nationalId}">`);
      expect(html).toContain(name);
    }
    expect(html).toContain('<label for="national-id">National identity number</label>');
    expect(html).toContain('id="national-id" name="nationalId"');
    expect(html).toContain('name="action" value="login"');
    expect(html).toContain('name="action" value="cancel"');
    for (const digest of DIGESTS) expect(html).toContain(`<code>${digest}</code>`);
    expect(html.match(/name="csrf"/g)).toHaveLength(3);
  });

  it('logs in a chosen identity and signs its claims, the method and the documents into the ID token', async () => {
    const claims = await loginAs('01017012345', { esign_digests: DIGESTS.join(',') });
    expect(claims).toMatchObject({
      sub: accountIdFor('NO', '01017012345'),
      name: 'Kari Nordmann',
      given_name: 'Kari',
      family_name: 'Nordmann',
      birthdate: '1970-01-01',
      national_id: '01017012345',
      country: 'NO',
      acr: 'nbid-sign',
      esign_digests: DIGESTS,
    });
    expect(claims.sub).toMatch(/^test-eid-[0-9a-f]{32}$/);
    expect(Math.abs(Number(claims.auth_time) - Date.now() / 1000)).toBeLessThan(10);
  });

  it('gives only sub, the method and the digests for scope openid alone', async () => {
    const claims = await loginAs('0606951234', { scope: 'openid', esign_digests: DIGESTS[0] });
    expect(claims).toMatchObject({
      sub: accountIdFor('DK', '0606951234'),
      acr: 'nbid-sign',
      esign_digests: [DIGESTS[0]],
    });
    for (const claim of ['name', 'given_name', 'family_name', 'birthdate', 'national_id', 'country']) {
      expect(claims).not.toHaveProperty(claim);
    }
  });

  it('takes a typed national id, ignoring spaces and hyphens, and client_secret_post', async () => {
    const flow = await openLogin(idp, { acr_values: 'ftn-sign' });
    const callback = await submit(idp, flow, { nationalId: ' 070777 1234 ', action: 'login' });
    const { status, body } = await exchange(idp, callback.searchParams.get('code')!, flow.pkce.verifier, 'post');
    expect(status).toBe(200);
    const claims = await verifyIdToken(body.id_token!);
    expect(claims).toMatchObject({ national_id: '070777-1234', country: 'FI', acr: 'ftn-sign' });
    expect(claims).not.toHaveProperty('esign_digests');
  });

  it('logs in afresh every time, in the same browser, and keeps sub stable per person', async () => {
    const jar = new CookieJar();
    const first = await loginAs('01017012345', { acr_values: 'nbid' }, jar);
    const second = await loginAs('197503031234', { acr_values: 'sbid-sign' }, jar);
    const third = await loginAs('01017012345', {}, jar);
    expect(second).toMatchObject({ name: 'Anna Andersson', acr: 'sbid-sign' });
    expect(third.sub).toBe(first.sub);
    expect(second.sub).not.toBe(first.sub);
  });
});
