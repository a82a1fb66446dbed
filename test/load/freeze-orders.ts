// The order a freeze run creates: one signer, one document to sign and archive, an invitation e-mail and a URL
// callback when its task is created.
import type { MerchantClient } from './freeze.js';

/** An order with an invitation e-mail and a URL callback when its task is created, for a signer of its own. */
export const orderBody = (m: Pick<MerchantClient, 'receiverUrl'>, documentRef: string, recipient: string) =>
  JSON.stringify({
    clientReference: 'bounded-waits',
    tasks: [
      {
        id: 'signer1',
        documents: [
          {
            id: 'doc1',
            action: 'SIGN',
            source: 'SESSION',
            documentRef,
            description: 'Agreement',
            sendResultToArchive: true,
          },
        ],
        signatureMethods: [{ name: 'nbid-sign', type: 'AUTHENTICATION_BASED' }],
        notifications: [
          {
            id: 'invite',
            type: 'EMAIL',
            recipient,
            header: 'Please sign',
            message: 'Order ${orderId}: ${taskUrl}',
            schedule: [{ triggerStatus: 'CREATED' }],
          },
          {
            id: 'hook',
            type: 'URL',
            recipient: `${m.receiverUrl}/task`,
            message: 'task ${orderId}',
            schedule: [{ triggerStatus: 'CREATED' }],
          },
        ],
      },
    ],
  });
