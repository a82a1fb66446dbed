import { ConfigError } from './parse-env.js';
import type { Env } from './schema.js';

/** Payload encryption settings (the payload codec of every Temporal client and worker). */
export interface PayloadEncryptionConfig {
  keys: Array<{ id: string; key: Buffer }>;
  currentId: string;
  cacheSeconds: number;
  /** How long a worker's key lookup waits out a Redis outage before it fails (the worker with it). */
  keyWaitSeconds: number;
  orderKeyDeleteDelaySeconds: number;
  tombstoneDays: number;
}

/** The operators' codec server on the gateway's operator port. */
export interface CodecServerConfig {
  corsOrigins: string[];
  audience: string;
  scope: string;
}

const KEY_ID = /^[A-Za-z0-9_.-]{1,32}$/;
const BASE64 = /^[A-Za-z0-9+/_-]+={0,2}$/;

/**
 * `PAYLOAD_KEYS` read and checked: each entry `<id>=<base64>` of exactly 32 bytes, ids unique, the current one
 * (`PAYLOAD_KEY_CURRENT`, else the last listed) among them. Problems name the entry, never its key material.
 */
export function payloadEncryptionConfig(e: Env): PayloadEncryptionConfig {
  const problems: string[] = [];
  const keys = e.PAYLOAD_KEYS.split(',').flatMap((entry, i) => {
    const at = entry.indexOf('=');
    const id = at > 0 ? entry.slice(0, at).trim() : '';
    const material = at > 0 ? entry.slice(at + 1).trim() : '';
    if (!KEY_ID.test(id)) {
      problems.push(`PAYLOAD_KEYS: entry ${i + 1} must be <id>=<base64>, the id 1-32 of [A-Za-z0-9_.-]`);
      return [];
    }
    const key = BASE64.test(material) ? Buffer.from(material, 'base64') : Buffer.alloc(0);
    if (key.length !== 32) {
      problems.push(`PAYLOAD_KEYS: key ${id} must be 32 bytes in base64 (openssl rand -base64 32)`);
      return [];
    }
    return [{ id, key }];
  });
  const ids = keys.map((k) => k.id);
  if (new Set(ids).size !== ids.length) problems.push('PAYLOAD_KEYS: key ids must be unique');
  const currentId = e.PAYLOAD_KEY_CURRENT ?? ids.at(-1) ?? '';
  if (keys.length && !ids.includes(currentId)) {
    problems.push(`PAYLOAD_KEY_CURRENT: ${currentId} is not among PAYLOAD_KEYS`);
  }
  if (problems.length) throw new ConfigError(problems);
  return {
    keys,
    currentId,
    cacheSeconds: e.PAYLOAD_KEY_CACHE_SECONDS,
    keyWaitSeconds: e.PAYLOAD_KEY_WAIT_SECONDS,
    orderKeyDeleteDelaySeconds: e.PAYLOAD_ORDER_KEY_DELETE_DELAY_SECONDS,
    tombstoneDays: e.PAYLOAD_ORDER_KEY_TOMBSTONE_DAYS,
  };
}

export function codecServerConfig(e: Env): CodecServerConfig {
  return {
    corsOrigins: e.CODEC_CORS_ORIGINS.split(','),
    audience: e.OPERATOR_AUDIENCE,
    scope: e.OPERATOR_SCOPE,
  };
}
