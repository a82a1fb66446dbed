// The benchmark's order: one task with two notifications on CREATED, an e-mail and a URL callback, over a fresh
// upload per round.
import type { BenchStack } from '../bench-stack.js';

export async function uploadAgreement({ api, auth }: Pick<BenchStack, 'api' | 'auth'>, round: number) {
  const upload = await fetch(`${api}/documents`, {
    method: 'POST',
    headers: { ...auth, 'content-type': 'text/plain' },
    body: `Benchmark agreement, round ${round}`,
  });
  if (upload.status !== 201) throw new Error(`upload answered ${upload.status}: ${await upload.text()}`);
  const { documentId } = (await upload.json()) as { documentId: string };
  return documentId;
}

export function orderWithNotifications(round: number, documentId: string, recipient: string, receiverUrl: string) {
  return JSON.stringify({
    clientReference: `bench-${round}`,
    tasks: [
      {
        id: 'signer1',
        documents: [{ id: 'doc1', action: 'SIGN', source: 'SESSION', documentRef: documentId }],
        signatureMethods: [{ name: 'nbid-sign', type: 'AUTHENTICATION_BASED' }],
        notifications: [
          {
            id: 'invite',
            type: 'EMAIL',
            recipient,
            header: 'Please sign for ${clientRef}',
            message: 'Order ${orderId}: sign at ${taskUrl} or with code ${signCode} at ${signCodeUrl}',
            schedule: [{ triggerStatus: 'CREATED' }],
          },
          {
            id: 'hook',
            type: 'URL',
            recipient: `${receiverUrl}/hook`,
            message: 'Order ${orderId} is open for signing',
            schedule: [{ triggerStatus: 'CREATED' }],
          },
        ],
      },
    ],
  });
}
