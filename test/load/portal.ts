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
import { SERVICES, type ServiceName } from '@esign/devstack';
import { ids } from '@esign/temporal-contracts';
import type { Browser, BrowserContext, Cookie, Request } from 'playwright-core';
import { launchChromium, loginAtTestEid } from '../support/browser.js';
import { makePdf } from '../support/documents.js';
import { startReceiver } from '../support/receiver.js';
import { stackTemporalClient, startBenchStack } from './bench-stack.js';
import { alternate, median, table } from './measure.js';
import {
  kib,
  measureLoad,
  msCell,
  newContext,
  p90,
  resourceTable,
  startBaseline,
  total,
  within,
  type Load,
} from './portal/pages.js';
import { POLL_MS, SIGN_PARTS, signedUpdate, type HistoryEvent } from './portal/history.js';
import { portalOrders } from './portal/orders.js';

const LOADS = Math.max(7, Number(process.argv[2] ?? 9));
const SIGNS = Math.max(7, Number(process.argv[3] ?? 9));
const KARI = '01017012345';

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

  const { uploadDoc, createOrder } = portalOrders(api, auth);

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
      // the signer reads the document first (signing waits for it)
      await page.locator('ul.documents a').first().click();
      await page.locator('main a[href="/std/task"]').first().click();
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
  const resourceRows = await resourceTable([last.viewer, last.task], cookies);
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
