import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SignClient } from '@esign/client';
import { readSignatureDictionaries } from '@esign/pdf-signing';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { gatewayUrl, stackClients } from '../test/support/clients.js';
import { makePdf } from '../test/support/documents.js';
import { MERCHANTS } from '../test/support/merchants.js';
import { signerAction, testSeal } from '../test/support/tasks.js';
import { expectLongTermSealed } from '../test/support/signing.js';
import { sendContract } from './send-contract.js';

const NAMES: Record<string, string> = { '01017012345': 'Kari Nordmann', '02028012345': 'Ola Nordmann' };

// The example program, run as a merchant would against the stack. The signers act when the program tells them it is
// their turn, through the task's signer-action Update as the signing portal sends it (the portal's own flow is tested
// in Chromium in test/integration/signing-portal*.test.ts).
describe('examples/send-contract', () => {
  let c: Awaited<ReturnType<typeof stackClients>>;
  const dir = mkdtempSync(join(tmpdir(), 'esign-example-'));
  beforeAll(async () => {
    c = await stackClients();
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await c?.close();
  });

  it('sends a contract to two signers in turn and collects one PDF with both signatures', async () => {
    const contractFile = join(dir, 'contract.pdf');
    writeFileSync(contractFile, await makePdf(1));
    const turns: string[] = [];
    const client = new SignClient({
      baseUrl: gatewayUrl('/enterprise/sign'),
      clientId: MERCHANTS.demo.clientId,
      clientSecret: MERCHANTS.demo.secret,
    });
    const { signed } = await sendContract({
      client,
      contractFile,
      outFile: join(dir, 'signed.pdf'),
      signers: [
        { taskId: 'first-signer', nationalId: '01017012345' },
        { taskId: 'second-signer', nationalId: '02028012345' },
      ],
      wait: { initialIntervalMs: 100, timeoutMs: 60_000 },
      async onTurn(signer, url) {
        turns.push(signer.taskId);
        expect(new URL(url).searchParams.get('task_id')).toBe(signer.taskId);
        const orderId = new URL(url).searchParams.get('request_id')!;
        const seal = testSeal(NAMES[signer.nationalId], signer.nationalId);
        await signerAction(c.temporal, orderId, signer.taskId, {
          type: 'SIGNED',
          documentId: 'contract',
          opened: ['contract'],
          seal,
        });
      },
    });
    expect(turns).toEqual(['first-signer', 'second-signer']);
    const pdf = readFileSync(signed.file);
    expect(signed.bytes).toBe(pdf.length);
    // Two signers' seals at the stack's level (B-LTA: timestamps, validation data, a document timestamp).
    await expectLongTermSealed(pdf, inject('stack'), { count: 2, pyhanko: false });
    expect((await readSignatureDictionaries(pdf)).map((d) => d.name)).toEqual(['Kari Nordmann', 'Ola Nordmann']);
  });
});
