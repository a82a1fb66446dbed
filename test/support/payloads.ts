// Raw Temporal histories (read without any codec) and the operators' codec server, for the payload encryption tests.
import type { Payload } from '@temporalio/common';
import type { Client } from '@temporalio/client';
import type proto from '@temporalio/proto';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { tool } from '@esign/devstack';
import { gatewayOperatorUrl, gatewayUrl } from './clients.js';

type HistoryEvent = proto.temporal.api.history.v1.IHistoryEvent;

/** Every workflow of an order (its own, its tasks', its notifications', ...), found by visibility. */
export async function workflowsOfOrder(temporal: Client, orderId: string): Promise<string[]> {
  const found: string[] = [];
  for await (const w of temporal.workflow.list({ query: `WorkflowId STARTS_WITH 'order-${orderId}'` })) {
    found.push(w.workflowId);
  }
  return found.sort();
}

/** A workflow's history exactly as Temporal stores and serves it: straight from the gRPC API, no codec. */
export async function rawHistory(temporal: Client, workflowId: string): Promise<HistoryEvent[]> {
  const events: HistoryEvent[] = [];
  let nextPageToken: Uint8Array | undefined;
  do {
    const page = await temporal.workflowService.getWorkflowExecutionHistory({
      namespace: temporal.options.namespace,
      execution: { workflowId },
      nextPageToken,
    });
    events.push(...(page.history?.events ?? []));
    nextPageToken = page.nextPageToken?.length ? page.nextPageToken : undefined;
  } while (nextPageToken);
  return events;
}

/** Everything in these events as text: strings as they are, every byte field as UTF-8 (where payloads hide). */
export function eventsAsText(events: HistoryEvent[]): string {
  return JSON.stringify(events, (_key, value: unknown) =>
    value instanceof Uint8Array ? Buffer.from(value).toString('utf8') : value,
  );
}

/**
 * Every payload the platform's data converter wrote in these events (objects with `metadata` and `data`): not the
 * search attributes (Temporal's, indexed in clear) nor the headers (the tracing context, which the SDK never passes
 * through a codec); those are checked as text.
 */
export function payloadsIn(value: unknown, found: Payload[] = []): Payload[] {
  if (!value || typeof value !== 'object' || value instanceof Uint8Array) return found;
  const v = value as Record<string, unknown>;
  if (v.data instanceof Uint8Array && v.metadata && typeof v.metadata === 'object') {
    found.push(v as Payload);
    return found;
  }
  for (const [key, child] of Object.entries(v)) {
    if (key !== 'searchAttributes' && key !== 'header') payloadsIn(child, found);
  }
  return found;
}

export const metadataOf = (p: Payload, name: string) =>
  p.metadata?.[name] ? Buffer.from(p.metadata[name]).toString('utf8') : undefined;

/** An operator's access token from the identity service (client credentials, scope esign-operator). */
export async function operatorToken(clientId = 'dev-operator', secret = 'dev-operator-secret'): Promise<string> {
  const res = await fetch(gatewayUrl('/auth/open/connect/token'), {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`${clientId}:${secret}`).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams({ grant_type: 'client_credentials', scope: 'esign-operator' }),
  });
  if (res.status !== 200) throw new Error(`operator token answered ${res.status}: ${await res.text()}`);
  return ((await res.json()) as { access_token: string }).access_token;
}

const b64 = (bytes: Uint8Array | null | undefined) => Buffer.from(bytes ?? new Uint8Array(0)).toString('base64');

/** POSTs payloads to the codec server's `/decode` as the Temporal UI does; answers the status and the payloads. */
export async function codecDecode(
  payloads: Payload[],
  token?: string,
): Promise<{ status: number; payloads: Array<{ encoding?: string; json?: unknown }> }> {
  const body = {
    payloads: payloads.map((p) => ({
      metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, b64(v)])),
      data: b64(p.data),
    })),
  };
  const res = await fetch(gatewayOperatorUrl('/codec/decode'), {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  if (res.status !== 200) return { status: res.status, payloads: [] };
  const answer = (await res.json()) as { payloads: Array<{ metadata: Record<string, string>; data: string }> };
  return {
    status: res.status,
    payloads: answer.payloads.map((p) => {
      const encoding = p.metadata.encoding ? Buffer.from(p.metadata.encoding, 'base64').toString('utf8') : undefined;
      const text = Buffer.from(p.data, 'base64').toString('utf8');
      return { encoding, json: encoding === 'json/plain' ? (JSON.parse(text) as unknown) : undefined };
    }),
  };
}

/**
 * `temporal workflow show -o json` of the stack's server, through the codec server when given its auth; answered as
 * text with every payload's data (base64 in the CLI's JSON) as UTF-8.
 */
export async function temporalShow(address: string, workflowId: string, codecAuth?: string): Promise<string> {
  const args = ['workflow', 'show', '--address', address, '--workflow-id', workflowId, '-o', 'json'];
  if (codecAuth) args.push('--codec-endpoint', gatewayOperatorUrl('/codec'), '--codec-auth', codecAuth);
  const { stdout } = await promisify(execFile)(tool('temporal'), args, { maxBuffer: 32 * 1024 * 1024 });
  return JSON.stringify(JSON.parse(stdout), (key, value: unknown) =>
    key === 'data' && typeof value === 'string' ? Buffer.from(value, 'base64').toString('utf8') : value,
  );
}
