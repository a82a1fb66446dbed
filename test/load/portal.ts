// Benchmark (not a test): the signing portal in Debian's Chromium. (1) Page weight of the task page and of the
// document viewer of a 1-page PDF: every resource the page loaded (Resource Timing of the page: the document, CSS,
// JS, pdf.js module and worker script, the PDF), cold (fresh browser context) and warm (second load in the same
// context). (2) Load time of both pages, navigation start → `load` (viewer also → `#viewer[data-rendered]`), against
// a static HTML page of the same byte size served by a bare node:http server to the same browser, cold and warm
// alike, in alternating rounds. (3) Sign click → `COMPLETED` in the status API (polled every 20 ms) for one-signer
// orders over a text document, plus click → arrival at `onTaskComplete` and the SIGNED Update's parts from the task
// workflow's history (the seal activity, the read-model write), against a bare form POST answered with a 303 to the
// same landing server.
// Run: node --import tsx test/load/portal.ts [page-load rounds] [signing rounds]
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { SERVICES, type ServiceName } from '@esign/devstack';
import { ids } from '@esign/temporal-contracts';
import type { Browser, BrowserContext, Cookie, Page, Request } from 'playwright-core';
import { launchChromium, loginAtTestEid } from '../support/browser.js';
import { makePdf } from '../support/documents.js';
import { startReceiver } from '../support/receiver.js';
import { stackTemporalClient, startBenchStack } from './bench-stack.js';
import { alternate, median, table } from './measure.js';

const LOADS = Math.max(7, Number(process.argv[2] ?? 9));
const SIGNS = Math.max(7, Number(process.argv[3] ?? 9));
const KARI = '01017012345';
const POLL_MS = 20;

/** Nearest-rank 90th percentile (with 7–10 samples: the largest or second largest). */
const p90 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.ceil(xs.length * 0.9) - 1]!;
const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;
const msCell = (v: number) => `${v.toFixed(v >= 100 ? 0 : 1)} ms`;

async function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: nothing after ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

interface Resource {
  url: string;
  /** Body bytes as sent (no content coding here, so also the decoded size). */
  body: number;
  /** Bytes over the wire, headers included; 0 when the browser answered from its cache. */
  transfer: number;
}
interface Load {
  loadMs: number;
  renderedMs?: number;
  resources: Resource[];
}

// In every page, before its own scripts: when the viewer says it rendered (CSP does not apply to init scripts), and
// the Sign form's submit time on the machine's clock, handed to the benchmark through a binding (the login forms
// before it submit too).
const INIT_SCRIPT = `
new MutationObserver((_, o) => {
  if (document.querySelector('#viewer[data-rendered]')) { window.__renderedAt = performance.now(); o.disconnect(); }
}).observe(document, { subtree: true, attributes: true, attributeFilter: ['data-rendered'] });
document.addEventListener('submit', (e) => {
  if (e.target.id === 'sign-form') window.__submitted?.(performance.timeOrigin + e.timeStamp);
}, true);`;

// What the benchmark reads in the page (its tsconfig has no DOM types), with `page.evaluate`: the portal's CSP
// forbids eval, which `page.waitForFunction` uses. Times are read in the page, so polling adds nothing to them.
type InPage = {
  __renderedAt?: number;
  performance: { getEntriesByType(type: string): Array<{ name: string } & Record<string, number>> };
};

async function until(page: Page, predicate: () => boolean, what: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await page.evaluate(predicate))) {
    if (Date.now() > deadline) throw new Error(`${what}: not after ${timeoutMs} ms (${page.url()})`);
    await new Promise((res) => setTimeout(res, 10));
  }
}

/** One navigation in `page`, from about:blank: load time, optionally time to rendered, and what it loaded. */
async function measureLoad(page: Page, url: string, waitRendered = false): Promise<Load> {
  await page.goto('about:blank');
  await page.goto(url, { waitUntil: 'load', timeout: 60_000 });
  if (waitRendered) await until(page, () => (globalThis as unknown as InPage).__renderedAt !== undefined, 'rendered');
  await until(
    page,
    () => (globalThis as unknown as InPage).performance.getEntriesByType('navigation')[0]!.loadEventEnd! > 0,
    'load event end',
  );
  return page.evaluate(() => {
    const w = globalThis as unknown as InPage;
    const nav = w.performance.getEntriesByType('navigation')[0]!;
    const resources = [nav, ...w.performance.getEntriesByType('resource')].map((e) => ({
      url: e.name,
      body: e.encodedBodySize!,
      transfer: e.transferSize!,
    }));
    return { loadMs: nav.loadEventEnd! - nav.startTime!, renderedMs: w.__renderedAt, resources };
  });
}

async function newContext(browser: Browser, cookies: Cookie[] = []): Promise<BrowserContext> {
  const context = await browser.newContext();
  await context.addCookies(cookies);
  await context.addInitScript(INIT_SCRIPT);
  return context;
}

/** Node:http on 127.0.0.1: static HTML pages by path (no-store, like the portal), and a form POST answered 303. */
async function startBaseline(landing: string) {
  const pages = new Map<string, Buffer>();
  const server: Server = createServer((req, res) => {
    if (req.method === 'POST') {
      req.resume();
      req.on('end', () => res.writeHead(303, { location: `${landing}/done?requestId=baseline` }).end());
      return;
    }
    const body = pages.get(req.url ?? '');
    if (!body) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    /** A one-request page of exactly `bytes` bytes: a paragraph and an HTML comment as padding. */
    page(path: string, bytes: number) {
      const head = '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Baseline</title></head>';
      const shell = `${head}<body><h1>Baseline</h1><!--`;
      const tail = '--></body></html>';
      pages.set(path, Buffer.from(shell + 'x'.repeat(Math.max(0, bytes - shell.length - tail.length)) + tail));
    },
    form(path: string) {
      pages.set(
        path,
        Buffer.from(
          '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Sign</title></head><body>' +
            '<form method="post" action="/sign" id="sign-form"><label><input type="checkbox" name="consent" ' +
            'value="yes" required> I agree</label><button type="submit">Sign</button></form></body></html>',
        ),
      );
    },
    stop: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

type HistoryEvent = {
  eventId?: unknown;
  eventTime?: { seconds?: unknown; nanos?: number | null } | null;
  activityTaskScheduledEventAttributes?: { activityType?: { name?: string | null } | null } | null;
  activityTaskStartedEventAttributes?: { scheduledEventId?: unknown } | null;
  activityTaskCompletedEventAttributes?: { scheduledEventId?: unknown } | null;
  workflowTaskScheduledEventAttributes?: object | null;
  workflowTaskStartedEventAttributes?: object | null;
  workflowExecutionUpdateAcceptedEventAttributes?: object | null;
  workflowExecutionUpdateCompletedEventAttributes?: { acceptedEventId?: unknown } | null;
};
const msOf = (e: HistoryEvent) => Number(e.eventTime?.seconds ?? 0) * 1000 + (e.eventTime?.nanos ?? 0) / 1e6;

/** The SIGNED Update in the task workflow's history: accepted, seal activity, read-model write, completed (epoch ms). */
function signedUpdate(events: HistoryEvent[]) {
  const activity = (name: string, after = 0) => {
    const scheduled = events.find(
      (e) => Number(e.eventId) > after && e.activityTaskScheduledEventAttributes?.activityType?.name === name,
    );
    if (!scheduled) throw new Error(`no ${name} activity in the task's history`);
    const id = Number(scheduled.eventId);
    const started = events.find((e) => Number(e.activityTaskStartedEventAttributes?.scheduledEventId) === id);
    const completed = events.find((e) => Number(e.activityTaskCompletedEventAttributes?.scheduledEventId) === id);
    if (!started || !completed) throw new Error(`${name} did not complete`);
    return { id: Number(completed.eventId), scheduled: msOf(scheduled), started: msOf(started), done: msOf(completed) };
  };
  const seal = activity('sealDocument');
  const accepted = events.filter(
    (e) => e.workflowExecutionUpdateAcceptedEventAttributes && Number(e.eventId) < seal.id,
  );
  const update = accepted[accepted.length - 1];
  const completed = events.find(
    (e) => Number(e.workflowExecutionUpdateCompletedEventAttributes?.acceptedEventId) === Number(update?.eventId),
  );
  if (!update || !completed) throw new Error('no completed SIGNED update in the task history');
  // The workflow task that accepted it (an update's task is speculative: written with its times once it completes).
  const before = events.filter((e) => Number(e.eventId) < Number(update.eventId));
  const wftScheduled = before.filter((e) => e.workflowTaskScheduledEventAttributes).pop();
  const wftStarted = before.filter((e) => e.workflowTaskStartedEventAttributes).pop();
  if (!wftScheduled || !wftStarted) throw new Error('no workflow task before the SIGNED update');
  return {
    wftScheduled: msOf(wftScheduled),
    wftStarted: msOf(wftStarted),
    accepted: msOf(update),
    seal,
    record: activity('recordTaskStatus', seal.id),
    completed: msOf(completed),
  };
}

const bench = await startBenchStack('portal', Object.keys(SERVICES) as ServiceName[]);
const { stack, api, auth } = bench;
const portal = stack.urls.portal;
if (!stack.services.some((s) => s.name === 'signing-portal') || portal !== stack.env.SIGNING_PORTAL_URL) {
  await bench.stop();
  throw new Error(`the bench stack has no signing portal at ${stack.env.SIGNING_PORTAL_URL}`);
}
let landing: Awaited<ReturnType<typeof startReceiver>> | undefined;
let baseline: Awaited<ReturnType<typeof startBaseline>> | undefined;
let browser: Browser | undefined;
let temporal: Awaited<ReturnType<typeof stackTemporalClient>> | undefined;
const contexts = new Set<BrowserContext>();
try {
  landing = await startReceiver([200]);
  baseline = await startBaseline(landing.url);
  browser = await launchChromium();
  temporal = await stackTemporalClient(stack.env);
  const context = async (cookies: Cookie[] = []) => {
    const c = await newContext(browser!, cookies);
    contexts.add(c);
    return c;
  };
  const closeContext = async (c: BrowserContext) => {
    contexts.delete(c);
    await c.close();
  };

  const uploadDoc = async (body: Buffer | string, contentType: string) => {
    const res = await fetch(`${api}/documents`, {
      method: 'POST',
      headers: { ...auth, 'content-type': contentType },
      body,
    });
    if (res.status !== 201) throw new Error(`upload answered ${res.status}: ${await res.text()}`);
    return ((await res.json()) as { documentId: string }).documentId;
  };
  const createOrder = async (documentRef: string, extra: Record<string, unknown> = {}) => {
    const res = await fetch(`${api}/orders`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({
        clientReference: 'bench',
        tasks: [
          {
            id: 'signer1',
            documents: [{ id: 'doc1', action: 'SIGN', source: 'SESSION', documentRef, description: 'Agreement' }],
            signatureMethods: [{ name: 'nbid-sign', type: 'AUTHENTICATION_BASED' }],
            ...extra,
          },
        ],
      }),
    });
    if (res.status !== 201) throw new Error(`order creation answered ${res.status}: ${await res.text()}`);
    const order = (await res.json()) as { id: string; tasks: Array<{ signingUrl: string }> };
    return { id: order.id, signingUrl: order.tasks[0]!.signingUrl };
  };

  // ---- Page weight and load time: one signer session over a 1-page PDF, its cookie copied into fresh contexts.
  const pdfOrder = await createOrder(await uploadDoc(await makePdf(1), 'application/pdf'));
  const opener = await context();
  const openerPage = await opener.newPage();
  await openerPage.goto(pdfOrder.signingUrl);
  if (new URL(openerPage.url()).pathname !== '/std/task') throw new Error(`the task link led to ${openerPage.url()}`);
  // Documents open only to an identified signer: identify once, then copy that session into fresh contexts.
  await openerPage.locator('form[action="/std/login"] button').first().click();
  await loginAtTestEid(openerPage, '01017012345');
  await openerPage.waitForURL(/\/std\/task$/);
  const cookies = await opener.cookies();
  await closeContext(opener);
  const taskUrl = `${portal}/std/task`;
  const viewerUrl = `${portal}/std/documents/doc1`;

  /** A cold load in a fresh context, then a warm one in the same context. */
  const coldWarm = async (url: string, rendered: boolean) => {
    const c = await context(cookies);
    try {
      const page = await c.newPage();
      const cold = await measureLoad(page, url, rendered);
      const warm = await measureLoad(page, url, rendered);
      return { cold, warm };
    } finally {
      await closeContext(c);
    }
  };
  const total = (l: Load, k: 'body' | 'transfer') => l.resources.reduce((sum, r) => sum + r[k], 0);

  // Warm-up (JIT in the portal, Chromium's first context), and the byte sizes the baseline pages get.
  const probe = { task: await coldWarm(taskUrl, false), viewer: await coldWarm(viewerUrl, true) };
  baseline.page('/task', total(probe.task.cold, 'body'));
  baseline.page('/viewer', total(probe.viewer.cold, 'body'));
  baseline.form('/form');
  await coldWarm(`${baseline.url}/task`, false);

  const loads: Record<'task' | 'viewer', Array<{ cold: Load; warm: Load }>> = { task: [], viewer: [] };
  const baseLoads: Record<'task' | 'viewer', Array<{ cold: Load; warm: Load }>> = { task: [], viewer: [] };
  await alternate(LOADS, {
    task: async () => {
      const l = await coldWarm(taskUrl, false);
      loads.task.push(l);
      return l.cold.loadMs;
    },
    baselineTask: async () => {
      const l = await coldWarm(`${baseline!.url}/task`, false);
      baseLoads.task.push(l);
      return l.cold.loadMs;
    },
    viewer: async () => {
      const l = await coldWarm(viewerUrl, true);
      loads.viewer.push(l);
      return l.cold.loadMs;
    },
    baselineViewer: async () => {
      const l = await coldWarm(`${baseline!.url}/viewer`, false);
      baseLoads.viewer.push(l);
      return l.cold.loadMs;
    },
  });

  // ---- Sign click → COMPLETED, one-signer orders over a text document, landing on onTaskComplete.
  const textDoc = await uploadDoc('Benchmark agreement: the parties agree.', 'text/plain');
  const onTaskComplete = `${landing.url}/done?requestId=\${requestId}`;
  const landedAt = async (requestId: string, timeoutMs = 60_000) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const call = landing!.calls.find((c) => c.url.searchParams.get('requestId') === requestId);
      if (call) return call.at;
      if (Date.now() > deadline) throw new Error(`no arrival at onTaskComplete for ${requestId}`);
      await new Promise((res) => setTimeout(res, 2));
    }
  };
  /** The Sign form's submit, on the machine's clock (epoch ms), through the init script's binding. */
  const submitClock = async (c: BrowserContext) => {
    let resolve!: (at: number) => void;
    const submitted = new Promise<number>((res) => (resolve = res));
    await c.exposeBinding('__submitted', (_source, at: number) => resolve(at));
    return submitted;
  };
  // What one signing measures, in ms from the form submit unless said otherwise; labels in the printed order.
  const SIGN_PARTS = {
    status: `Sign click → COMPLETED in the status API (polled every ${POLL_MS} ms)`,
    landed: 'Sign click → browser at onTaskComplete',
    posted: '… click → POST /std/sign sent',
    wftScheduled: "… click → the SIGNED update's workflow task scheduled",
    wftStarted: '… workflow task scheduled → started (orchestrator)',
    accepted: '… workflow task started → update accepted, seal scheduled',
    sealQueue: '… seal activity scheduled → started',
    seal: '… seal activity started → completed (sealDocument)',
    record: '… seal done → read model says COMPLETED (recordTaskStatus)',
    completed: '… click → SIGNED update completed',
    answered: "… click → the portal's 303 received",
  } as const;
  const signs: Array<Record<keyof typeof SIGN_PARTS, number>> = [];

  const signOnce = async () => {
    const order = await createOrder(textDoc, { onTaskComplete });
    const c = await context();
    try {
      const submitted = submitClock(c);
      const page = await c.newPage();
      let post: Request | undefined;
      page.on('request', (r) => {
        if (r.method() === 'POST' && new URL(r.url()).pathname === '/std/sign') post = r;
      });
      await page.goto(order.signingUrl);
      await page.locator('form[action="/std/login"] button').first().click();
      await loginAtTestEid(page, KARI);
      await page.waitForURL(/\/std\/task$/);
      await page.locator('input[name="consent"]').check();
      let stop = false;
      const polled = (async () => {
        const url = `${api}/orders/${order.id}/tasks/signer1/status`;
        while (!stop) {
          const body = (await (await fetch(url, { headers: auth })).json()) as { taskStatus?: string };
          if (body.taskStatus === 'COMPLETED') return Date.now();
          await new Promise((res) => setTimeout(res, POLL_MS));
        }
        return NaN;
      })();
      try {
        await page.locator('#sign-form button[type="submit"]').click();
        const click = await within(submitted, 30_000, 'form submit');
        const [landed, status] = await Promise.all([landedAt(order.id), polled]);
        const history = await temporal!.workflow.getHandle(ids.task(order.id, 'signer1')).fetchHistory();
        const u = signedUpdate((history.events ?? []) as HistoryEvent[]);
        // Request timing of the POST (epoch start + offsets), complete once its 303 arrived.
        const timing = post?.timing();
        if (!timing || timing.requestStart < 0 || timing.responseStart < 0) throw new Error('no POST /std/sign timing');
        return {
          status: status - click,
          landed: landed - click,
          posted: timing.startTime + timing.requestStart - click,
          wftScheduled: u.wftScheduled - click,
          wftStarted: u.wftStarted - u.wftScheduled,
          accepted: u.accepted - u.wftStarted,
          sealQueue: u.seal.started - u.seal.scheduled,
          seal: u.seal.done - u.seal.started,
          record: u.record.done - u.seal.done,
          completed: u.completed - click,
          answered: timing.startTime + timing.responseStart - click,
        };
      } finally {
        stop = true;
        await polled.catch(() => undefined);
      }
    } finally {
      await closeContext(c);
    }
  };
  const bareSubmit = async () => {
    const c = await context();
    try {
      const submitted = submitClock(c);
      const page = await c.newPage();
      const before = landing!.calls.length;
      await page.goto(`${baseline!.url}/form`);
      await page.locator('input[name="consent"]').check();
      await page.locator('#sign-form button[type="submit"]').click();
      const click = await within(submitted, 30_000, 'form submit');
      const deadline = Date.now() + 30_000;
      while (landing!.calls.length === before && Date.now() < deadline) await new Promise((r) => setTimeout(r, 2));
      if (landing!.calls.length === before) throw new Error('the bare form POST never arrived at the landing');
      return landing!.calls[before]!.at - click;
    } finally {
      await closeContext(c);
    }
  };
  await signOnce(); // warm-up: first sign, first seal, first login
  await bareSubmit();
  const signRuns = await alternate(SIGNS, {
    sign: async () => {
      const s = await signOnce();
      signs.push(s);
      return s.status;
    },
    bare: bareSubmit,
  });

  // ---- Results.
  const pick = <T>(xs: T[], f: (x: T) => number) => xs.map(f);
  const last = { task: loads.task[loads.task.length - 1]!, viewer: loads.viewer[loads.viewer.length - 1]! };
  const weight = (l: Load, k: 'body' | 'transfer') =>
    `${l.resources.filter((r) => k === 'body' || r.transfer > 0).length} requests, ${kib(total(l, k))}`;
  const taskCold = pick(loads.task, (l) => l.cold.loadMs);
  const taskWarm = pick(loads.task, (l) => l.warm.loadMs);
  const viewerCold = pick(loads.viewer, (l) => l.cold.loadMs);
  const viewerWarm = pick(loads.viewer, (l) => l.warm.loadMs);
  const renderedCold = pick(loads.viewer, (l) => l.cold.renderedMs!);
  const renderedWarm = pick(loads.viewer, (l) => l.warm.renderedMs!);
  const baselineMs = (k: 'task' | 'viewer', w: 'cold' | 'warm') => median(pick(baseLoads[k], (l) => l[w].loadMs));
  const bare = median(signRuns.bare);
  const row = (measure: string, value = '', p90th = '', base = '', ratio = '') =>
    ({ measure, median: value, p90: p90th, baseline: base, ratio }) as Record<string, string>;
  const ratioOf = (xs: number[], base: number) => (median(xs) / base).toFixed(median(xs) / base >= 10 ? 0 : 2);
  const timed = (measure: string, xs: number[], base?: number) =>
    row(measure, msCell(median(xs)), msCell(p90(xs)), base ? msCell(base) : '', base ? ratioOf(xs, base) : '');
  const rows = [
    row('task page weight, cold (bodies)', weight(last.task.cold, 'body')),
    row('task page weight, warm (over the wire)', weight(last.task.warm, 'transfer')),
    row('viewer weight, cold (bodies)', weight(last.viewer.cold, 'body')),
    row('viewer weight, warm (over the wire)', weight(last.viewer.warm, 'transfer')),
    timed('task page → load, cold', taskCold, baselineMs('task', 'cold')),
    timed('task page → load, warm', taskWarm, baselineMs('task', 'warm')),
    timed('viewer → load, cold', viewerCold, baselineMs('viewer', 'cold')),
    timed('viewer → rendered, cold', renderedCold, baselineMs('viewer', 'cold')),
    timed('viewer → load, warm', viewerWarm, baselineMs('viewer', 'warm')),
    timed('viewer → rendered, warm', renderedWarm, baselineMs('viewer', 'warm')),
    ...(Object.keys(SIGN_PARTS) as Array<keyof typeof SIGN_PARTS>).map((k) =>
      timed(
        SIGN_PARTS[k],
        pick(signs, (x) => x[k]),
        k === 'status' || k === 'landed' ? bare : undefined,
      ),
    ),
    timed('bare form POST → 303 → landing (baseline of the two above)', signRuns.bare),
  ];
  const resources = [...last.viewer.cold.resources, ...last.task.cold.resources]
    .filter((r, i, all) => all.findIndex((x) => x.url === r.url) === i)
    .sort((a, b) => b.body - a.body);
  const gzipped = async (url: string) => {
    const cookie = cookies.map((c) => `${c.name}=${c.value}`).join('; ');
    const res = await fetch(url, { headers: { cookie } });
    return gzipSync(Buffer.from(await res.arrayBuffer())).length;
  };
  const resourceRows: Array<Record<string, string>> = [];
  for (const r of resources) {
    const warm = [...last.viewer.warm.resources, ...last.task.warm.resources].find((w) => w.url === r.url);
    resourceRows.push({
      resource: new URL(r.url).pathname,
      bytes: String(r.body),
      'gzip -6 would be': String(await gzipped(r.url)),
      'warm load transfers': warm ? String(warm.transfer) : '',
    });
  }
  process.stdout.write(
    `\nSigning portal: ${LOADS} alternating rounds of page loads, ${SIGNS} of signing, medians and p90\n\n` +
      `${table(rows)}\n\n${table(resourceRows)}\n`,
  );
} finally {
  for (const c of contexts) await c.close().catch(() => undefined);
  await browser?.close();
  await temporal?.connection.close();
  await baseline?.stop();
  await landing?.stop();
  await bench.stop();
}
