import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseIdentities } from './identities.js';
import { escapeHtml } from '@esign/service-runtime';
import { pageHeaders, renderErrorPage, renderLoginPage } from './login-page.js';

const evil = '"><script>alert(1)</script>&\'';
const identities = parseIdentities({
  identities: [
    {
      nationalId: '01017012345',
      name: evil,
      givenName: 'A',
      familyName: 'B',
      birthdate: '1970-01-01',
      country: 'NO',
    },
  ],
}).all;

describe('login page', () => {
  it('escapes everything it shows', () => {
    expect(escapeHtml(evil)).toBe('&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;&amp;&#39;');
    const html = renderLoginPage({
      action: '/auth/open/interaction/abc',
      language: 'en',
      csrf: 'tok"en',
      method: 'nbid-sign',
      clientName: evil,
      identities,
      error: evil,
      typed: evil,
    });
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('"><');
    expect(html).toContain('name="csrf" value="tok&quot;en"');
    expect(html).toContain(`value="${escapeHtml(evil)}"`);
  });

  it('is a complete, labelled document in English with the controls a browser test clicks', () => {
    const html = renderLoginPage({
      action: '/auth/open/interaction/abc',
      language: 'en',
      csrf: 't',
      method: 'sbid-sign',
      clientName: 'Signing portal',
      identities,
      digests: ['a'.repeat(64)],
    });
    expect(html).toMatch(/^<!doctype html>\n<html lang="en">/);
    expect(html).toContain('<title>Log in with sbid-sign (test eID)</title>');
    expect(html).toContain('<meta name="viewport"');
    expect(html.match(/<form method="post" action="\/auth\/open\/interaction\/abc">/g)).toHaveLength(3);
    expect(html).toContain('<button type="submit" name="nationalId" value="01017012345">');
    expect(html).toContain('<label for="national-id">');
    expect(html).toContain('<input type="text" id="national-id" name="nationalId"');
    expect(html).toContain('<button type="submit" class="primary" name="action" value="login">Log in</button>');
    expect(html).toContain('<button type="submit" class="secondary" name="action" value="cancel">Cancel</button>');
    expect(html).toContain('binds you to 1 document,');
    expect(html).not.toContain('role="alert"');
  });

  it('is sent with headers that forbid framing and allow only its own stylesheet', () => {
    const headers = pageHeaders(['https://portal.example']);
    expect(headers['x-frame-options']).toBe('DENY');
    expect(headers['content-security-policy']).toMatch(
      /^default-src 'none'; style-src 'sha256-[A-Za-z0-9+/]+={0,2}'; form-action 'self' https:\/\/portal\.example; frame-ancestors 'none'; base-uri 'none'$/,
    );
    // The hash is of the one inline stylesheet the pages carry.
    const style = /<style>([\s\S]*)<\/style>/.exec(renderErrorPage('t', 'm'))![1]!;
    const hash = /'sha256-([^']+)'/.exec(headers['content-security-policy']!)![1];
    expect(Buffer.from(hash!, 'base64')).toHaveLength(32);
    expect(createHash('sha256').update(style).digest('base64')).toBe(hash);
  });
});
