// The token request of a merchant (client credentials at the gateway's single origin). No vitest import, so the
// benchmark, chaos and fuzz runs can use it outside the test runner too.

/**
 * A client-credentials token request to `endpoint`, answered as is: the client's credentials as HTTP Basic
 * (`basic`, client_secret_basic) or in the form (`post`, client_secret_post).
 */
export function tokenRequest(
  endpoint: string,
  clientId: string,
  secret: string,
  credentialsIn: 'basic' | 'post' = 'basic',
  signal?: AbortSignal,
): Promise<Response> {
  const form = { grant_type: 'client_credentials', scope: 'signicat-api' };
  return fetch(endpoint, {
    method: 'POST',
    headers: {
      ...(credentialsIn === 'basic'
        ? { authorization: `Basic ${Buffer.from(`${clientId}:${secret}`).toString('base64')}` }
        : {}),
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams(
      credentialsIn === 'basic' ? form : { ...form, client_id: clientId, client_secret: secret },
    ),
    ...(signal ? { signal } : {}),
  });
}

/** A client-credentials token from the identity service through `origin`; throws unless it answers 200. */
export async function requestToken(
  origin: string,
  clientId: string,
  secret: string,
): Promise<{ access_token: string; expires_in: number }> {
  const res = await tokenRequest(`${origin}/auth/open/connect/token`, clientId, secret);
  if (res.status !== 200) throw new Error(`token request for ${clientId} answered ${res.status}: ${await res.text()}`);
  return (await res.json()) as { access_token: string; expires_in: number };
}
