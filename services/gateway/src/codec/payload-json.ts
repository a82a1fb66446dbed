import type { Payload } from '@temporalio/common';
import { HttpProblem } from '../problem.js';

/** A payload as Temporal's codec-server protocol carries it (proto3 JSON): bytes as base64. */
export interface JsonPayload {
  metadata?: Record<string, string>;
  data?: string;
}

const BASE64 = /^[A-Za-z0-9+/_-]*={0,2}$/;

function bytes(value: unknown, where: string): Uint8Array {
  if (typeof value !== 'string' || !BASE64.test(value))
    throw new HttpProblem(400, 'Bad Request', `${where} is not base64.`);
  return Buffer.from(value, 'base64');
}

/** `{ "payloads": [...] }` of a codec-server request, read into payloads; anything else is a 400. */
export function payloadsFromJson(body: unknown): Payload[] {
  const list = (body as { payloads?: unknown } | null)?.payloads;
  if (!Array.isArray(list)) throw new HttpProblem(400, 'Bad Request', 'The body must be {"payloads": [...]}.');
  return list.map((p: JsonPayload, i) => ({
    metadata: Object.fromEntries(
      Object.entries(p?.metadata ?? {}).map(([k, v]) => [k, bytes(v, `payloads[${i}].metadata.${k}`)]),
    ),
    data: p?.data === undefined ? new Uint8Array(0) : bytes(p.data, `payloads[${i}].data`),
  }));
}

export function payloadsToJson(payloads: Payload[]): { payloads: JsonPayload[] } {
  const b64 = (v: Uint8Array | null | undefined) => Buffer.from(v ?? new Uint8Array(0)).toString('base64');
  return {
    payloads: payloads.map((p) => ({
      metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, b64(v)])),
      data: b64(p.data),
    })),
  };
}
