import { randomBytes, timingSafeEqual } from 'node:crypto';
import { storageKeys } from '@esign/storage-keys';
import type { Redis } from 'ioredis';

/** A signer's session: bound to one task, CSRF token, identity once authenticated. Kept in Redis, idle-timed. */
export interface PortalSession {
  id: string;
  merchantId: string;
  orderId: string;
  taskId: string;
  csrf: string;
  /** The order creation's traceparent: each signer action's span links to it. */
  traceparent?: string;
  /** Documents the signer opened in this session (VIEW documents are marked viewed from here). */
  viewed: string[];
  /** An identity-method login in progress: PKCE verifier, state and nonce of the authorization request. */
  login?: { state: string; nonce: string; verifier: string; method: string; statement: boolean; salt?: string };
  /** A one-time-code login in progress. */
  otp?: { challengeId: string; method: string; channel: 'SMS' | 'EMAIL'; recipient: string };
  /** Identified to sign (a signature method, or the only log-in of a task without named signature methods). */
  identity?: {
    name: string;
    method: string;
    at: string;
    claims: Record<string, string>;
    idToken?: string;
    /** A signed statement's proof (JSON of `StatementProof`): what binds `idToken` to the documents. */
    statementProof?: string;
  };
  /**
   * The task's log-in before its documents (`authentication.methods`), done: with one of those methods (`name` is who
   * logged in) or with the merchant's single-sign-on artifact (`method` "artifact").
   */
  authenticated?: { method: string; at: string; name?: string };
  /** The signer completed the task in this session: the done page and its downloads are theirs (until idle). */
  done?: boolean;
  /**
   * How often the task had been forwarded when the session began: once it is forwarded again, the session belongs
   * to the forwarder and opens nothing (absent in sessions from before forwarding: 0).
   */
  holder?: number;
}

const newToken = () => randomBytes(32).toString('base64url');

export class SessionStore {
  constructor(private readonly deps: { redis: Redis; keyPrefix: string; idleSeconds: number }) {}

  private key(id: string) {
    return this.deps.keyPrefix + storageKeys.portalSession(id);
  }

  async create(
    target: Pick<PortalSession, 'merchantId' | 'orderId' | 'taskId' | 'traceparent' | 'holder'>,
  ): Promise<PortalSession> {
    const session: PortalSession = { id: newToken(), ...target, csrf: newToken(), viewed: [] };
    await this.save(session);
    return session;
  }

  /** The session, its idle timer restarted; null when unknown or idle for too long. */
  async get(id: string | undefined): Promise<PortalSession | null> {
    if (!id || !/^[A-Za-z0-9_-]{43}$/.test(id)) return null;
    const raw = await this.deps.redis.getex(this.key(id), 'EX', this.deps.idleSeconds);
    return raw ? (JSON.parse(raw) as PortalSession) : null;
  }

  async save(session: PortalSession): Promise<void> {
    await this.deps.redis.set(this.key(session.id), JSON.stringify(session), 'EX', this.deps.idleSeconds);
  }

  /** A new id and CSRF token for the same session (after login: no session fixation). */
  async regenerate(session: PortalSession): Promise<PortalSession> {
    const next = { ...session, id: newToken(), csrf: newToken() };
    await this.save(next);
    await this.deps.redis.del(this.key(session.id));
    return next;
  }

  async destroy(id: string): Promise<void> {
    await this.deps.redis.del(this.key(id));
  }
}

export function csrfMatches(session: PortalSession, token: unknown): boolean {
  if (typeof token !== 'string') return false;
  const a = Buffer.from(session.csrf);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}
