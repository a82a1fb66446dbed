import { createRemoteJWKSet, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requestToken, startTestIdentity, type TestIdentity } from './test-support.js';

const operator = { clientId: 'dev-operator', secret: 'dev-operator-secret' };
const merchant = { clientId: 'demo-merchant', secret: 'demo-secret' };

// Operators' tokens are for the codec server only (Temporal payloads decoded for the UI and CLI): their own audience
// and scope, no merchant; merchants cannot get one, and operators cannot get a Sign API token.
describe('operator tokens', () => {
  let idp: TestIdentity;
  let jwks: ReturnType<typeof createRemoteJWKSet>;
  beforeAll(async () => {
    idp = await startTestIdentity();
    jwks = createRemoteJWKSet(new URL(`${idp.url}/auth/open/.well-known/openid-configuration/jwks`));
  });
  afterAll(() => idp.close());

  it('issues an operator client a JWT for the operator audience and scope, acting for no merchant', async () => {
    for (const scope of ['esign-operator', undefined]) {
      const { status, body } = await requestToken(idp.tokenUrl, { ...operator, form: { scope } });
      expect(status).toBe(200);
      expect(body.scope).toBe('esign-operator');
      const { payload } = await jwtVerify(body.access_token!, jwks, { issuer: idp.issuer, audience: 'esign-operator' });
      expect(payload).toMatchObject({ scope: 'esign-operator', client_id: 'dev-operator' });
      expect(payload).not.toHaveProperty('merchant_id');
    }
  });

  it('refuses each client kind the other scope', async () => {
    const asMerchant = await requestToken(idp.tokenUrl, { ...merchant, form: { scope: 'esign-operator' } });
    expect(asMerchant.status).toBe(400);
    expect(asMerchant.body.error).toBe('invalid_scope');
    const asOperator = await requestToken(idp.tokenUrl, operator);
    expect(asOperator.status).toBe(400);
    expect(asOperator.body.error).toBe('invalid_scope');
  });

  it('takes its audience from OPERATOR_AUDIENCE', async () => {
    const other = await startTestIdentity({ OPERATOR_AUDIENCE: 'ops.example' });
    try {
      const { body } = await requestToken(other.tokenUrl, { ...operator, form: { scope: 'esign-operator' } });
      const verify = createRemoteJWKSet(new URL(`${other.url}/auth/open/.well-known/openid-configuration/jwks`));
      const { payload } = await jwtVerify(body.access_token!, verify, { issuer: other.issuer });
      expect(payload.aud).toBe('ops.example');
    } finally {
      await other.close();
    }
  });
});
