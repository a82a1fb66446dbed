import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';

/** WCAG 2.2 AA, as axe-core tags it (2.0, 2.1 and 2.2, levels A and AA). */
const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
export const PHONE = { width: 360, height: 740 };
export const DESKTOP = { width: 1280, height: 800 };
const SCREENSHOTS = join(process.cwd(), 'test-results', 'portal');

/** axe-core on the page as it is now: no WCAG 2.2 AA violation (each one named with its nodes when it fails). */
export async function expectNoAxeViolations(page: Page, label: string): Promise<void> {
  const { violations } = await new AxeBuilder({ page }).withTags(WCAG_TAGS).analyze();
  const found = violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  expect(found, `axe on ${label}`).toEqual([]);
}

interface Layout {
  scrollWidth: number;
  viewport: string;
  smallTargets: string[];
}

// Runs in the page (a string: the project's TypeScript has no DOM library).
const LAYOUT_SCRIPT = `(() => {
    const visible = (el) => {
      const r = el.getBoundingClientRect();
      const style = getComputedStyle(el);
      return r.width > 1 && r.height > 1 && style.visibility !== 'hidden' && style.display !== 'none';
    };
    // A link inside running text (a sentence around it) is exempt from the target size (WCAG 2.5.8 "inline").
    const inline = (el) =>
      el.tagName === 'A' && (el.parentElement?.textContent ?? '').trim() !== (el.textContent ?? '').trim();
    const controls = [...document.querySelectorAll('a[href], button, input:not([type=hidden]), select, textarea')];
    // A checkbox's or radio button's target includes its label (a click on the label toggles it).
    const targetOf = (el) => {
      const rects = [
        el,
        ...(el instanceof HTMLInputElement && /checkbox|radio/.test(el.type) ? [...(el.labels ?? [])] : []),
      ].map((e) => e.getBoundingClientRect());
      const left = Math.min(...rects.map((r) => r.left));
      const top = Math.min(...rects.map((r) => r.top));
      const width = Math.max(...rects.map((r) => r.right)) - left;
      const height = Math.max(...rects.map((r) => r.bottom)) - top;
      return { width, height };
    };
    const smallTargets = controls
      .filter((el) => visible(el) && !inline(el))
      .filter((el) => {
        const r = targetOf(el);
        return r.height < 44 || r.width < 44;
      })
      .map((el) => {
        const r = targetOf(el);
        return \`\${el.tagName.toLowerCase()}\${el.id ? '#' + el.id : ''} \${Math.round(r.width)}×\${Math.round(r.height)}\`;
      });
    return {
      scrollWidth: document.documentElement.scrollWidth,
      viewport: document.querySelector('meta[name=viewport]')?.getAttribute('content') ?? '',
      smallTargets,
    };
  })()`;

/**
 * What a phone needs, measured in the page: nothing wider than the screen, a zoomable viewport, and every visible
 * control (buttons, inputs, links that are not part of a sentence) at least 44×44 CSS pixels.
 */
async function layoutOf(page: Page): Promise<Layout> {
  return (await page.evaluate(LAYOUT_SCRIPT)) as Layout;
}

/** The page at 360×740: no sideways scrolling, zoom allowed, targets ≥ 44 px. */
export async function expectPhoneFriendly(page: Page, label: string): Promise<void> {
  const size = page.viewportSize();
  if (size?.width !== PHONE.width) await page.setViewportSize(PHONE);
  const layout = await layoutOf(page);
  expect(layout.scrollWidth, `${label} scrolls sideways`).toBeLessThanOrEqual(PHONE.width);
  expect(layout.viewport, `${label} viewport`).toContain('width=device-width');
  expect(layout.viewport, `${label} viewport`).not.toMatch(/user-scalable\s*=\s*no|maximum-scale\s*=\s*1(\D|$)/);
  expect(layout.smallTargets, `${label} targets under 44px`).toEqual([]);
}

/** Both checks on the page as it is now. */
export async function audit(page: Page, label: string): Promise<void> {
  await expectNoAxeViolations(page, label);
  await expectPhoneFriendly(page, label);
}

/** Screenshots of the page at phone and desktop size into test-results/portal/<name>-{phone,desktop}.png. */
export async function screenshots(page: Page, name: string): Promise<void> {
  await mkdir(SCREENSHOTS, { recursive: true });
  for (const [suffix, size] of [
    ['phone', PHONE],
    ['desktop', DESKTOP],
  ] as const) {
    await page.setViewportSize(size);
    await page.screenshot({ path: join(SCREENSHOTS, `${name}-${suffix}.png`), fullPage: true });
  }
  await page.setViewportSize(PHONE);
}
