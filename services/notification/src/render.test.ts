import { LANGUAGES } from '@esign/contracts';
import { escapeHtml } from '@esign/service-runtime';
import { EMAIL_TEXTS } from './email-texts.js';
import type { PlaceholderValues } from '@esign/temporal-contracts';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SUBJECT, renderEmail, renderSubject, renderText, substitute, textToHtml } from './render.js';

const values: PlaceholderValues = {
  orderId: 'ord-1',
  clientRef: '<script>alert("x")</script> & Co',
  taskUrl: 'https://sign.example/std/docaction?request_id=ord-1&task_id=t1',
  signCode: 'Zx9',
  signCodeUrl: 'https://sign.example/std/docaction?sign_code=Zx9',
};

describe('substitute', () => {
  it('replaces the five placeholders, each as often as it occurs', () => {
    expect(substitute('${orderId}/${orderId} ${taskUrl} ${signCode} ${signCodeUrl}', values)).toBe(
      `ord-1/ord-1 ${values.taskUrl} Zx9 ${values.signCodeUrl}`,
    );
    expect(substitute('Ref ${clientRef}', values)).toBe(`Ref ${values.clientRef}`);
  });

  it('leaves unknown placeholders, near misses and inherited names as written', () => {
    expect(substitute('${unknown} ${ orderId } $orderId {orderId} ${toString} ${constructor}', values)).toBe(
      '${unknown} ${ orderId } $orderId {orderId} ${toString} ${constructor}',
    );
  });

  it('does not substitute without values (packaging notifications are sent verbatim)', () => {
    expect(substitute('Order ${orderId}', undefined)).toBe('Order ${orderId}');
  });

  it('does not substitute again inside substituted values', () => {
    expect(substitute('${clientRef}', { ...values, clientRef: '${orderId}' })).toBe('${orderId}');
  });
});

describe('renderSubject', () => {
  it('is the rendered header on one line: CR/LF cannot start another header', () => {
    expect(renderSubject('Sign ${orderId}\r\nBcc: victim@example.com', values)).toBe(
      'Sign ord-1 Bcc: victim@example.com',
    );
    expect(renderSubject('A\nB\rC\tD', undefined)).toBe('A B C D');
    expect(renderSubject('x', { ...values, clientRef: 'y' })).toBe('x');
    expect(renderSubject('${clientRef}', { ...values, clientRef: 'Acme\r\nX-Evil: 1' })).toBe('Acme X-Evil: 1');
  });

  it('falls back to a default subject when the header is missing or blank', () => {
    expect(renderSubject(undefined, values)).toBe(DEFAULT_SUBJECT);
    expect(renderSubject(' \r\n ', values)).toBe(DEFAULT_SUBJECT);
  });
});

describe('HTML', () => {
  it('escapes the five HTML-significant characters', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  });

  it('escapes merchant text and placeholder values alike, and keeps line breaks', () => {
    const html = textToHtml(renderText('<b>Hi</b> ${clientRef}\nline 2\r\nline 3', values));
    expect(html).toBe(
      '&lt;b&gt;Hi&lt;/b&gt; &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Co<br>\nline 2<br>\nline 3',
    );
    expect(html).not.toContain('<script');
  });

  it('turns http(s) URLs into links, leaving trailing punctuation outside', () => {
    expect(textToHtml(renderText('Sign at ${taskUrl}.', values))).toBe(
      'Sign at <a href="https://sign.example/std/docaction?request_id=ord-1&amp;task_id=t1">' +
        'https://sign.example/std/docaction?request_id=ord-1&amp;task_id=t1</a>.',
    );
    expect(textToHtml('(see http://a.example/x) and https://b.example')).toBe(
      '(see <a href="http://a.example/x">http://a.example/x</a>) and <a href="https://b.example">https://b.example</a>',
    );
  });

  it('does not link other schemes, and cannot be broken out of by a URL with quotes or brackets', () => {
    expect(textToHtml('javascript:alert(1) ftp://x.example')).toBe('javascript:alert(1) ftp://x.example');
    expect(textToHtml('https://x.example/"onmouseover="alert(1)')).toBe(
      '<a href="https://x.example/">https://x.example/</a>&quot;onmouseover=&quot;alert(1)',
    );
    expect(textToHtml('https://x.example/<img>')).toBe(
      '<a href="https://x.example/">https://x.example/</a>&lt;img&gt;',
    );
  });
});

describe('renderEmail', () => {
  it('renders subject, text and HTML from one notification', async () => {
    const mail = await renderEmail({ header: 'Order ${orderId}', message: 'Code ${signCode}' }, values);
    expect(mail.subject).toBe('Order ord-1');
    expect(mail.text.startsWith('Code Zx9\n\n')).toBe(true);
    expect(mail.html).toContain('Code Zx9');
    expect(mail.html).toMatch(/^<!doctype html>/i);
    expect(mail.html).not.toMatch(/%%esign-/);
  });

  it('sends the template without a body when there is no message', async () => {
    const mail = await renderEmail({}, values);
    expect(mail.subject).toBe(DEFAULT_SUBJECT);
    expect(mail.text).toBe(
      `If the button does not work, open this link:\n${values.taskUrl}\n\n${EMAIL_TEXTS.en.notice}`,
    );
  });

  it("puts the merchant's logo, footer, button and link text in both parts, escaped", async () => {
    const template = {
      language: 'nb' as const,
      logoUrl: 'https://cdn.example.test/logo.png?a=1&b=2',
      footer: 'ACME <Bank> AS\nOslo',
      button: 'Signer "nå"',
      linkText: 'Lenke:',
    };
    const mail = await renderEmail({ message: 'Hei ${taskUrl}', template }, values);
    expect(mail.html).toContain('src="https://cdn.example.test/logo.png?a=1&amp;b=2"');
    expect(mail.html).toContain('ACME &lt;Bank&gt; AS<br>Oslo');
    expect(mail.html).toContain('Signer &quot;nå&quot;');
    expect(mail.html).toContain('Lenke:');
    expect(mail.html).toContain(`href="${escapeHtml(values.taskUrl)}"`);
    expect(mail.html).toContain('lang="nb"');
    expect(mail.html).toContain(EMAIL_TEXTS.nb.notice);
    expect(mail.text).toBe(
      `Hei ${values.taskUrl}\n\nLenke:\n${values.taskUrl}\n\nACME <Bank> AS\nOslo\n\n${EMAIL_TEXTS.nb.notice}`,
    );
  });

  it("uses the fixed words of the task's language, in every language of the contract", async () => {
    for (const language of LANGUAGES) {
      const mail = await renderEmail({ message: 'x', template: { language } }, values);
      const texts = EMAIL_TEXTS[language];
      expect(mail.html).toContain(escapeHtml(texts.button));
      expect(mail.html).toContain(escapeHtml(texts.linkText));
      expect(mail.text).toContain(texts.notice);
    }
    expect(new Set(LANGUAGES.map((l) => EMAIL_TEXTS[l].button)).size).toBe(LANGUAGES.length);
  });

  it('has no button or link for a mail about no task', async () => {
    const mail = await renderEmail({ message: 'All signed' }, { ...values, taskUrl: '' });
    expect(mail.html).not.toContain(EMAIL_TEXTS.en.button);
    expect(mail.text).toBe(`All signed\n\n${EMAIL_TEXTS.en.notice}`);
  });
});
