// The portal benchmark's page measurements: Resource Timing in Chromium, a static baseline page of the same size.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import type { Browser, BrowserContext, Cookie, Page } from 'playwright-core';

/** Nearest-rank 90th percentile (with 7–10 samples: the largest or second largest). */
export const p90 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.ceil(xs.length * 0.9) - 1]!;
export const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;
export const msCell = (v: number) => `${v.toFixed(v >= 100 ? 0 : 1)} ms`;

export async function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
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

export interface Resource {
  url: string;
  /** Body bytes as sent (no content coding here, so also the decoded size). */
  body: number;
  /** Bytes over the wire, headers included; 0 when the browser answered from its cache. */
  transfer: number;
}
export interface Load {
  loadMs: number;
  renderedMs?: number;
  resources: Resource[];
}

// In every page, before its own scripts: when the viewer says it rendered (CSP does not apply to init scripts), and
// the Sign form's submit time on the machine's clock, handed to the benchmark through a binding (the login forms
// before it submit too).
export const INIT_SCRIPT = `
new MutationObserver((_, o) => {
  if (document.querySelector('#viewer[data-rendered]')) { window.__renderedAt = performance.now(); o.disconnect(); }
}).observe(document, { subtree: true, attributes: true, attributeFilter: ['data-rendered'] });
document.addEventListener('submit', (e) => {
  if (e.target.id === 'sign-form') window.__submitted?.(performance.timeOrigin + e.timeStamp);
}, true);`;

// What the benchmark reads in the page (its tsconfig has no DOM types), with `page.evaluate`: the portal's CSP
// forbids eval, which `page.waitForFunction` uses. Times are read in the page, so polling adds nothing to them.
export type InPage = {
  __renderedAt?: number;
  performance: { getEntriesByType(type: string): Array<{ name: string } & Record<string, number>> };
};

export async function until(page: Page, predicate: () => boolean, what: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await page.evaluate(predicate))) {
    if (Date.now() > deadline) throw new Error(`${what}: not after ${timeoutMs} ms (${page.url()})`);
    await new Promise((res) => setTimeout(res, 10));
  }
}

/** One navigation in `page`, from about:blank: load time, optionally time to rendered, and what it loaded. */
export async function measureLoad(page: Page, url: string, waitRendered = false): Promise<Load> {
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

export async function newContext(browser: Browser, cookies: Cookie[] = []): Promise<BrowserContext> {
  const context = await browser.newContext();
  await context.addCookies(cookies);
  await context.addInitScript(INIT_SCRIPT);
  return context;
}

/** Node:http on 127.0.0.1: static HTML pages by path (no-store, like the portal), and a form POST answered 303. */
export async function startBaseline(landing: string) {
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

/** Bytes over the wire or decoded bodies of every resource of a load. */
export const total = (l: Load, k: 'body' | 'transfer') => l.resources.reduce((sum, r) => sum + r[k], 0);

/** Each resource of the pages' cold loads: its bytes, what gzip would make of them, what a warm load transferred. */
export async function resourceTable(pages: Array<{ cold: Load; warm: Load }>, cookies: Cookie[]) {
  const resources = pages
    .flatMap((p) => p.cold.resources)
    .filter((r, i, all) => all.findIndex((x) => x.url === r.url) === i)
    .sort((a, b) => b.body - a.body);
  const gzipped = async (url: string) => {
    const cookie = cookies.map((c) => `${c.name}=${c.value}`).join('; ');
    const res = await fetch(url, { headers: { cookie } });
    return gzipSync(Buffer.from(await res.arrayBuffer())).length;
  };
  const rows: Array<Record<string, string>> = [];
  for (const r of resources) {
    const warm = pages.flatMap((p) => p.warm.resources).find((w) => w.url === r.url);
    rows.push({
      resource: new URL(r.url).pathname,
      bytes: String(r.body),
      'gzip -6 would be': String(await gzipped(r.url)),
      'warm load transfers': warm ? String(warm.transfer) : '',
    });
  }
  return rows;
}
