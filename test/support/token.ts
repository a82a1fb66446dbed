// The token request of a merchant (client credentials at the gateway's single origin). No vitest import, so the
// benchmark, chaos and fuzz runs can use it outside the test runner too.

/** A client-credentials token from the identity service through `origin`; throws unless it answers 200. */
export async function requestToken(
  origin: string,
  clientId: string,
  secret: string,
): Promise<{ access_token: string; expires_in: number }> {
  const res = await fetch(`${origin}/auth/open/connect/token`, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`${clientId}:${secret}`).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams({ grant_type: 'client_credentials', scope: 'signicat-api' }),
  });
  if (res.status !== 200) throw new Error(`token request for ${clientId} answered ${res.status}: ${await res.text()}`);
  return (await res.json()) as { access_token: string; expires_in: number };
}
