import { createRemoteJWKSet, decodeJwt, jwtVerify } from 'jose';
import { statementOf, verifyStatement } from '@esign/signed-statement';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { identifyAtTask, launchChromium, readEachDocument } from '../support/browser.js';
import { gatewayUrl } from '../support/clients.js';
import { makePdf, sha256, uploadOk } from '../support/documents.js';
import { api } from '../support/merchants.js';
import { createOrder } from '../support/orders.js';
import { expectLongTermSealed, pdfAttachment } from '../support/signing.js';

const stack = inject('stack');
const KARI = '01017012345';
const SIGN_TEXT = 'I accept the loan and its terms.';
const STATEMENT = `${SIGN_TEXT}\nLoan agreement: I borrow 1 000 EUR.\nterms: I have read the terms (ÆØÅ).`;

// Sign texts (issue 20, item 3): `signText` and each document's `signTextEntry` are the statement the signer
// consents to — shown before signing, recorded in the sealed evidence, bound by a SIGNED_STATEMENT.
describe('sign texts in a browser', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  async function order(type: string) {
    const [pdf, terms] = [await makePdf(1, 256), 'Terms: be nice.'];
    const [pdfRef, termsRef] = [
      await uploadOk('demo', pdf, 'application/pdf'),
      await uploadOk('demo', terms, 'text/plain'),
    ];
    const res = await createOrder('demo', {
      clientReference: 'sign-texts',
      tasks: [
        {
          id: 'signer1',
          language: 'en',
          signText: SIGN_TEXT,
          signatureMethods: [{ name: 'nbid-sign', type }],
          documents: [
            {
              id: 'loan',
              action: 'SIGN',
              source: 'SESSION',
              documentRef: pdfRef,
              description: 'Loan agreement',
              signTextEntry: 'I borrow 1 000 EUR.',
            },
            {
              id: 'terms',
              action: 'VIEW',
              source: 'SESSION',
              documentRef: termsRef,
              signTextEntry: 'I have read the terms (ÆØÅ).',
            },
          ],
        },
      ],
    });
    expect(res.status, await res.clone().text()).toBe(201);
    const body = (await res.json()) as { id: string; tasks: Array<{ signingUrl: string }> };
    return { id: body.id, link: body.tasks[0]!.signingUrl, pdf };
  }

  /** Opens the task, identifies, checks the statement is shown with the consent it belongs to, reads and signs. */
  async function signShowingStatement(page: Page, link: string) {
    await page.goto(link);
    await identifyAtTask(page, KARI);
    const shown = page.locator('#sign-statement');
    expect(await shown.locator('.sign-text').textContent()).toBe(SIGN_TEXT);
    expect(await shown.locator('dt').allTextContents()).toEqual(['Loan agreement', 'terms']);
    expect(await shown.locator('dd').allTextContents()).toEqual([
      'I borrow 1 000 EUR.',
      'I have read the terms (ÆØÅ).',
    ]);
    expect(await page.locator('#consent').getAttribute('aria-describedby')).toBe('sign-statement');
    await readEachDocument(page);
    await page.locator('#consent').check();
    await page.locator('#sign-form button[type="submit"]').click();
    await page.waitForURL(/\/std\/done$/);
  }

  async function sealedResult(orderId: string) {
    const res = await api('demo', `/orders/${orderId}/tasks/signer1/documents/loan/result`);
    expect(res.status).toBe(200);
    const bytes = Buffer.from(await res.arrayBuffer());
    await expectLongTermSealed(bytes, stack, { pyhanko: false });
    const evidence = JSON.parse((await pdfAttachment(bytes, 'signing-evidence.json')).toString('utf8')) as {
      signer: { statement?: string };
    };
    return { bytes, evidence };
  }

  it('shows the statement before signing and records it in the evidence the seal covers', async () => {
    const { id, link } = await order('AUTHENTICATION_BASED');
    const context = await browser.newContext();
    try {
      await signShowingStatement(await context.newPage(), link);
    } finally {
      await context.close();
    }
    const { evidence } = await sealedResult(id);
    expect(evidence.signer.statement).toBe(STATEMENT);
  });

  it('binds the statement in a SIGNED_STATEMENT: its digest after the documents’ in the signed ID token', async () => {
    const { id, link, pdf } = await order('SIGNED_STATEMENT');
    const context = await browser.newContext();
    try {
      await signShowingStatement(await context.newPage(), link);
    } finally {
      await context.close();
    }
    const { bytes, evidence } = await sealedResult(id);
    expect(evidence.signer.statement).toBe(STATEMENT);
    const jwt = (await pdfAttachment(bytes, 'signed-statement.jwt')).toString('utf8').trim();
    const discovery = (await (await fetch(gatewayUrl('/auth/open/.well-known/openid-configuration'))).json()) as {
      jwks_uri: string;
    };
    await jwtVerify(jwt, createRemoteJWKSet(new URL(discovery.jwks_uri)));
    expect(decodeJwt(jwt).esign_digests).toEqual([sha256(pdf), sha256(Buffer.from(STATEMENT, 'utf8'))]);
    // Offline, by the nonce alone: the document and the statement from the result's evidence verify; another
    // statement does not.
    const parts = await statementOf(bytes);
    expect(parts.statement).toBe(STATEMENT);
    expect(await verifyStatement({ ...parts, documents: [pdf] })).toMatchObject({ ok: true });
    expect(await verifyStatement({ ...parts, statement: `${STATEMENT}!`, documents: [pdf] })).toMatchObject({
      ok: false,
    });
  });
});
