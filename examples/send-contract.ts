// A merchant program: sends a contract to two signers, the second only after the first has signed, then collects
// the package (one PDF carrying both signatures). Against `npm start`:
//   npm run example:send-contract -- path/to/contract.pdf [signed.pdf]
// It prints each signer's link when it is their turn; open it, sign with the test eID, and the program goes on.
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Downloaded, SignClient, WaitOptions } from '@esign/client';
import { z } from 'zod';
import { loadExample } from './config.js';

export interface Signer {
  /** The task id: readable, no personal data (it appears in links and in the operator's tools). */
  taskId: string;
  /** The national id the signer's eID must return: signing with another identity is refused. */
  nationalId: string;
}

export interface SendContractOptions {
  client: SignClient;
  /** A PDF or text file. */
  contractFile: string;
  /** Where the signed package is written. */
  outFile: string;
  signers: [Signer, Signer];
  /** Told each signer's link when it is their turn (default: printed). */
  onTurn?: (signer: Signer, signingUrl: string) => void | Promise<void>;
  wait?: WaitOptions;
}

export async function sendContract(o: SendContractOptions): Promise<{ orderId: string; signed: Downloaded }> {
  const { documentId } = await o.client.upload(o.contractFile);
  const [first, second] = o.signers;
  const task = (signer: Signer, dependsOnTasks: string[]) => ({
    id: signer.taskId,
    dependsOnTasks,
    documents: [{ id: 'contract', action: 'SIGN' as const, source: 'SESSION' as const, documentRef: documentId }],
    signatureMethods: [{ name: 'nbid-sign', type: 'AUTHENTICATION_BASED' as const }],
    subject: { id: signer.taskId, attributes: [{ name: 'national-id', value: signer.nationalId, methods: [] }] },
  });
  // createOrder sends an Idempotency-Key: a retried call (a timeout, a 503) cannot create a second order.
  const order = await o.client.createOrder({
    clientReference: `contract-${Date.now()}`,
    tasks: [task(first, []), task(second, [first.taskId])],
    packagingTasks: [
      {
        id: 'package',
        method: 'pades',
        documents: o.signers.map((s) => ({ taskId: s.taskId, documentIds: ['contract'] })),
      },
    ],
  });
  const onTurn = o.onTurn ?? ((s, url) => console.log(`${s.taskId}: please sign at ${url}`));
  for (const signer of o.signers) {
    const url = order.tasks.find((t) => t.id === signer.taskId)?.signingUrl;
    if (!url) throw new Error(`the order has no signing link for ${signer.taskId}`);
    await onTurn(signer, url);
    const status = await o.client.waitForTask(order.id, signer.taskId, o.wait);
    if (status.taskStatus !== 'COMPLETED') throw new Error(`${signer.taskId} ended ${status.taskStatus}`);
  }
  const packaging = await o.client.waitForPackaging(order.id, 'package', o.wait);
  if (packaging.packagingTaskStatus !== 'COMPLETED') throw new Error('packaging failed');
  return { orderId: order.id, signed: await o.client.downloadPackage(order.id, 'package', o.outFile) };
}

async function main(): Promise<void> {
  const [contractFile, outFile = 'signed-contract.pdf'] = process.argv.slice(2);
  if (!contractFile) throw new Error('usage: send-contract.ts <contract.pdf|.txt> [out.pdf]');
  const { client } = loadExample(z.object({}));
  const { orderId, signed } = await sendContract({
    client,
    contractFile: resolve(contractFile),
    outFile: resolve(outFile),
    // Two of the test eID's people (README): Kari Nordmann signs first, then Ola Nordmann.
    signers: [
      { taskId: 'first-signer', nationalId: '01017012345' },
      { taskId: 'second-signer', nationalId: '02028012345' },
    ],
    wait: { timeoutMs: 60 * 60_000 },
  });
  console.log(`order ${orderId}: signed package (${signed.bytes} bytes) in ${signed.file}`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  main().catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
