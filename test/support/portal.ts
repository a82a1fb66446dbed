// A signer's portal session over plain HTTP (what an attacker with a link, or a script, does): no browser needed.

/** The `esign_portal` cookie a portal answer set, as `name=value`; undefined when it set none. */
export function portalCookie(res: Response): string | undefined {
  return res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0]!)
    .find((c) => c.startsWith('esign_portal='));
}

/** Opens a signing link without following the redirect; `cookie` sends a session the client has. */
export async function openLink(link: string, cookie?: string): Promise<{ res: Response; cookie?: string }> {
  const res = await fetch(link, { redirect: 'manual', headers: cookie ? { cookie } : {} });
  return { res, cookie: portalCookie(res) ?? cookie };
}

/** The CSRF token of a session, read from its task page. */
export async function csrfOf(origin: string, cookie: string): Promise<string> {
  const html = await (await fetch(`${origin}/std/task`, { headers: { cookie } })).text();
  const token = /name="csrf-token" content="([^"]+)"/.exec(html)?.[1];
  if (!token) throw new Error('no CSRF token on the task page');
  return token;
}

/** POSTs a form of the portal with the session's cookie (redirects not followed). */
export function postForm(origin: string, path: string, cookie: string, fields: Record<string, string>) {
  return fetch(`${origin}${path}`, {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
  });
}

/** A session opened from a signing link, with its CSRF token. */
export async function portalSession(link: string): Promise<{ origin: string; cookie: string; csrf: string }> {
  const { res, cookie } = await openLink(link);
  if (res.status !== 303 || !cookie) throw new Error(`the link answered ${res.status}`);
  const origin = new URL(link).origin;
  return { origin, cookie, csrf: await csrfOf(origin, cookie) };
}
