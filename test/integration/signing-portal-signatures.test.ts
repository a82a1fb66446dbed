import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { statementOf, verifyStatement } from '@esign/signed-statement';
import { describe, expect, it } from 'vitest';
import { drawOn, focusedId, readEachDocument } from '../support/browser.js';
import { gatewayUrl } from '../support/clients.js';
import { sha256 } from '../support/documents.js';
import { documentBytes, expectSealed, imagesOf, KARI, portalFlows, withPdfFile } from '../support/portal-flows.js';
import { taskStatus } from '../support/portal-walk.js';

const execFileAsync = promisify(execFile);

// What a signature carries: drawn marks, signed statements of the identity provider.
describe('signing portal signatures in a browser', () => {
  const { pdfOrder, inContext, identify, signAndLand } = portalFlows();

  it('stamps a drawn signature on the document when the method is handwritten', async () => {
    const { id, link, pdf } = await pdfOrder({
      signatureMethods: [{ name: 'nbid-sign', type: 'AUTHENTICATION_BASED', handwritten: true }],
    });
    await inContext(async (page) => {
      await page.goto(link);
      expect(await page.locator('#signature').count()).toBe(0); // asked for only once identified
      await identify(page);
      await readEachDocument(page);
      // without a drawing, signing is refused with the instruction
      await page.locator('input[name="consent"]').check();
      await page.locator('#sign-form button[type="submit"]').click();
      await page.locator('#signature-error').waitFor();
      expect(await page.locator('#signature-error').textContent()).toBe('Draw your signature or type your name.');
      // The error stands by the signature field, focused, and the consent given stays given.
      expect(await focusedId(page)).toBe('signature-error');
      expect(await page.locator('input[name="consent"]').isChecked()).toBe(true);

      await drawOn(page, '#signature');
      expect(await page.locator('#handwritten').inputValue()).toMatch(/^data:image\/png;base64,/);
      await signAndLand(page, id);
    });

    const { bytes } = await documentBytes(id, 'signer1', 'doc1');
    await expectSealed(bytes);
    expect(await imagesOf(pdf)).toEqual([]);
    const images = await imagesOf(bytes);
    expect(images).toHaveLength(1);
    expect(images[0]).toMatchObject({ page: 1, width: 600, height: 200 }); // the canvas, as drawn
  });
  it('turns away an oversized or broken drawn signature with a message, not an error page', async () => {
    const { id, link } = await pdfOrder({
      signatureMethods: [{ name: 'nbid-sign', type: 'AUTHENTICATION_BASED', handwritten: true }],
    });
    const PNG_MAGIC = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    await inContext(async (page) => {
      await page.goto(link);
      await identify(page);
      await readEachDocument(page);
      const portal = new URL(page.url()).origin;
      const csrf = (await page.locator('meta[name="csrf-token"]').getAttribute('content'))!;
      for (const png of [
        Buffer.concat([PNG_MAGIC, randomBytes(201 * 1024)]), // over the 200 KiB a seal takes
        Buffer.concat([PNG_MAGIC, randomBytes(2048)]), // a PNG signature, then noise
      ]) {
        const res = await page.request.post(`${portal}/std/sign`, {
          form: { csrf, consent: 'yes', handwritten: `data:image/png;base64,${png.toString('base64')}` },
          maxRedirects: 0,
        });
        expect(res.status(), `${png.length} bytes`).toBe(400);
        expect(await res.text()).toContain('Draw your signature or type your name.');
      }
      // the task is still open for a real drawing
      await page.reload();
      await drawOn(page, '#signature');
      await signAndLand(page, id);
    });
    expect(await taskStatus(id)).toBe('COMPLETED');
  });
  it('embeds the identity provider’s signed statement of the document digests with SIGNED_STATEMENT', async () => {
    const { id, link, pdf } = await pdfOrder({ signatureMethods: [{ name: 'nbid-sign', type: 'SIGNED_STATEMENT' }] });
    await inContext(async (page) => {
      await page.goto(link);
      await identify(page);
      await signAndLand(page, id);
    });

    const { bytes } = await documentBytes(id, 'signer1', 'doc1');
    await expectSealed(bytes);
    const { list, jwt } = await withPdfFile(bytes, async (file, dir) => {
      const listed = await execFileAsync('pdfdetach', ['-list', file]);
      const out = join(dir, 'statement.jwt');
      await execFileAsync('pdfdetach', ['-savefile', 'signed-statement.jwt', '-o', out, file]);
      return { list: listed.stdout, jwt: (await readFile(out, 'utf8')).trim() };
    });
    expect(list).toContain('signed-statement.jwt');
    expect(list).toContain('signing-evidence.json');

    const discovery = (await (await fetch(gatewayUrl('/auth/open/.well-known/openid-configuration'))).json()) as {
      issuer: string;
      jwks_uri: string;
    };
    const { payload, protectedHeader } = await jwtVerify(jwt, createRemoteJWKSet(new URL(discovery.jwks_uri)), {
      issuer: discovery.issuer,
    });
    expect(protectedHeader.alg).toBe('RS256');
    expect(payload.esign_digests).toEqual([sha256(pdf)]);
    expect(payload).toMatchObject({ acr: 'nbid-sign', national_id: KARI, name: 'Kari Nordmann' });

    // Standard means: the token's nonce binds the document, checked offline with the keys the result recorded.
    expect(list).toContain('signed-statement-proof.json');
    const parts = await statementOf(bytes);
    expect(parts.token).toBe(jwt);
    expect(await verifyStatement({ ...parts, documents: [pdf] })).toEqual({
      ok: true,
      subject: payload.sub,
      issuer: discovery.issuer,
    });
    const changed = Buffer.from(pdf);
    changed[changed.length - 10] = changed[changed.length - 10]! ^ 1;
    expect(await verifyStatement({ ...parts, documents: [changed] })).toMatchObject({ ok: false });
    // The command: valid for the document shown, invalid for another.
    const verdicts = await withPdfFile(bytes, async (file, dir) => {
      const [shown, other] = [join(dir, 'shown.pdf'), join(dir, 'other.pdf')];
      await writeFile(shown, pdf);
      await writeFile(other, changed);
      const run = (doc: string) =>
        execFileAsync('node', ['--import', 'tsx', 'packages/signed-statement/src/cli.ts', file, doc]).then(
          (r) => ({ code: 0, out: r.stdout }),
          (e: { code: number; stdout: string }) => ({ code: e.code, out: e.stdout }),
        );
      return [await run(shown), await run(other)];
    });
    expect(verdicts[0]).toEqual({ code: 0, out: `valid: signed by ${String(payload.sub)} at ${discovery.issuer}\n` });
    expect(verdicts[1]).toMatchObject({ code: 1, out: expect.stringMatching(/^invalid: the documents/) });
  });
});
