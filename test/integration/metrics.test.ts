import { beforeAll, describe, expect, inject, it } from 'vitest';
import { makePdf, uploadOk } from '../support/documents.js';
import { mailTo, uniqueAddress } from '../support/inbox.js';
import { api } from '../support/merchants.js';
import { createOrder, simpleOrder } from '../support/orders.js';

const stack = inject('stack');

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** The samples of a Prometheus text exposition (comments skipped). */
function parseMetrics(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)/.exec(line);
    if (!m) continue;
    const labels: Record<string, string> = {};
    for (const l of (m[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) labels[l[1]!] = l[2]!;
    samples.push({ name: m[1]!, labels, value: Number(m[3]) });
  }
  return samples;
}

async function scrape(port: string): Promise<{ text: string; samples: Sample[] }> {
  const res = await fetch(`http://127.0.0.1:${port}/metrics`);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toContain('text/plain');
  const text = await res.text();
  return { text, samples: parseMetrics(text) };
}

const sum = (samples: Sample[], name: string, labels: Record<string, string>) =>
  samples
    .filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))
    .reduce((total, s) => total + s.value, 0);

/** Polls `ok` every 250 ms until it holds, or throws after `ms`. */
async function until(ok: () => Promise<boolean>, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await ok())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

const WORKERS = {
  orchestrator: 'ORCHESTRATOR_HEALTH_PORT',
  'document-storage': 'DOCUMENT_STORAGE_HEALTH_PORT',
  sealing: 'SEALING_HEALTH_PORT',
  notification: 'NOTIFICATION_HEALTH_PORT',
  archive: 'ARCHIVE_HEALTH_PORT',
} as const;

// Prometheus `/metrics` on every service but the identity provider (issue: metrics): HTTP durations by route
// pattern, document bytes, notification deliveries, and the Temporal SDK's worker metrics on the workers.
describe('metrics', () => {
  let pdf: Buffer;
  let documentId: string;
  let orderId: string;

  beforeAll(async () => {
    pdf = await makePdf(1, 8192);
    documentId = await uploadOk('demo', pdf, 'application/pdf');
    const got = await api('demo', `/documents/${documentId}`);
    expect(got.status).toBe(200);
    expect(Buffer.from(await got.arrayBuffer()).length).toBe(pdf.length);

    const to = uniqueAddress('metrics');
    const { order } = await simpleOrder('demo');
    (order.tasks[0] as { notifications?: unknown[] }).notifications = [
      { id: 'invite', type: 'EMAIL', recipient: to, message: 'Please sign at ${taskUrl}' },
    ];
    const res = await createOrder('demo', order);
    expect(res.status).toBe(201);
    orderId = ((await res.json()) as { id: string }).id;
    await until(async () => (await mailTo(to)).length > 0);
    const original = await api('demo', `/orders/${orderId}/tasks/signer1/documents/doc1/original`);
    expect(original.status).toBe(200);
    await original.arrayBuffer();
  });

  it('gateway: request durations by route pattern and status, never raw ids, and document bytes in/out', async () => {
    const { samples } = await scrape(stack.env.GATEWAY_OPERATOR_PORT!);
    const durations = samples.filter((s) => s.name === 'esign_http_request_duration_seconds_count');
    expect(durations.length).toBeGreaterThan(0);
    expect(
      sum(samples, 'esign_http_request_duration_seconds_count', {
        method: 'GET',
        route: '/enterprise/sign/documents/:documentId',
        status: '200',
      }),
    ).toBeGreaterThanOrEqual(1);
    expect(
      sum(samples, 'esign_http_request_duration_seconds_count', {
        method: 'POST',
        route: '/enterprise/sign/orders',
        status: '201',
      }),
    ).toBeGreaterThanOrEqual(1);
    expect(
      sum(samples, 'esign_http_request_duration_seconds_count', {
        route: '/enterprise/sign/orders/:orderId/tasks/:taskId/documents/:documentId/original',
      }),
    ).toBeGreaterThanOrEqual(1);
    expect(samples.some((s) => s.name === 'esign_http_request_duration_seconds_bucket' && s.labels.le)).toBe(true);
    for (const s of durations) {
      expect(s.labels.route).not.toContain(documentId);
      expect(s.labels.route).not.toContain(orderId);
      expect(s.labels.status).toMatch(/^\d{3}$/);
    }

    const bytesIn = sum(samples, 'esign_document_bytes_total', { direction: 'in', kind: 'upload' });
    expect(bytesIn).toBeGreaterThanOrEqual(pdf.length);
    expect(sum(samples, 'esign_document_bytes_total', { direction: 'out', kind: 'upload' })).toBeGreaterThanOrEqual(
      pdf.length,
    );
    expect(sum(samples, 'esign_document_bytes_total', { direction: 'out', kind: 'original' })).toBeGreaterThan(0);
    // default process metrics, labelled with the service
    expect(samples.some((s) => s.name === 'process_cpu_seconds_total' && s.labels.service === 'gateway')).toBe(true);
  });

  it('gateway and portal: /metrics on the operator port needs no token, and the public ports have none', async () => {
    expect((await fetch(`http://127.0.0.1:${stack.env.GATEWAY_OPERATOR_PORT}/metrics`)).status).toBe(200);
    expect((await fetch(`http://127.0.0.1:${stack.env.PORTAL_OPERATOR_PORT}/metrics`)).status).toBe(200);
    expect((await fetch(`http://127.0.0.1:${stack.env.GATEWAY_PORT}/metrics`)).status).toBe(404);
    expect((await fetch(`http://127.0.0.1:${stack.env.PORTAL_PORT}/metrics`)).status).toBe(404);
  });

  it('signing portal: request durations and process metrics', async () => {
    expect((await fetch(`http://127.0.0.1:${stack.env.PORTAL_PORT}/std/task`)).status).toBeLessThan(500);
    const { samples } = await scrape(stack.env.PORTAL_OPERATOR_PORT!);
    expect(
      samples.some(
        (s) =>
          s.name === 'esign_http_request_duration_seconds_count' &&
          s.labels.route === '/std/task' &&
          s.labels.method === 'GET',
      ),
    ).toBe(true);
    expect(samples.some((s) => s.name === 'process_cpu_seconds_total')).toBe(true);
  });

  it('notification worker: deliveries by type and outcome', async () => {
    // the mail reaches MailDev just before the activity completes and counts it
    const sent = async () =>
      sum((await scrape(stack.env.NOTIFICATION_HEALTH_PORT!)).samples, 'esign_notification_deliveries_total', {
        type: 'EMAIL',
        outcome: 'sent',
      });
    await expect.poll(sent, { timeout: 10_000, interval: 200 }).toBeGreaterThanOrEqual(1);
  });

  for (const [name, portVar] of Object.entries(WORKERS)) {
    it(`${name}: process metrics and the Temporal SDK's worker metrics`, async () => {
      const { samples, text } = await scrape(stack.env[portVar]!);
      expect(samples.some((s) => s.name === 'process_cpu_seconds_total' && s.labels.service === name)).toBe(true);
      expect(text).toContain('temporal_worker_task_slots_available');
      expect(text).toContain('temporal_request');
    });
  }

  it('workers still answer 404 for unknown paths next to /metrics', async () => {
    const res = await fetch(`http://127.0.0.1:${stack.env.NOTIFICATION_HEALTH_PORT}/nothing`);
    expect(res.status).toBe(404);
  });
});
