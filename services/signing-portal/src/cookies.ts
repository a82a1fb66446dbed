import type { Request, Response } from 'express';
import type { Portal } from './portal.js';
import type { PortalSession } from './session.js';

export const COOKIE = 'esign_portal';
const SESSION_ID = /^[A-Za-z0-9_-]{43}$/;

/** The value of the session cookie, only when it has the shape of a session id: anything else is no session. */
export function sessionCookie(req: Request): string | undefined {
  for (const part of (req.header('cookie') ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    const value = v.join('=');
    if (k === COOKIE && SESSION_ID.test(value)) return value;
  }
  return undefined;
}

/** HttpOnly, SameSite=Lax, scoped to /std, for the session's idle time (renewed on every request). */
export function setSessionCookie(portal: Portal, res: Response, session: PortalSession): void {
  res.cookie(COOKIE, session.id, {
    httpOnly: true,
    sameSite: 'lax',
    secure: portal.secure,
    path: '/std',
    maxAge: portal.config.portal.sessionIdleSeconds * 1000,
  });
}
