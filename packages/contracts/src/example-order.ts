import type { SigningOrderInput } from './order.js';

/** A complete order in the style of the public examples: the request example of the OpenAPI document. */
export const EXAMPLE_SIGNING_ORDER = {
  clientReference: 'b8a5ccdc-d79b-412e-a20e-03c2a8c8cdd2',
  daysUntilDeletion: 7,
  tasks: [
    {
      id: 'task1',
      profile: 'default',
      language: 'en',
      daysToLive: 7,
      documents: [
        {
          id: 'doc1',
          action: 'SIGN',
          source: 'SESSION',
          documentRef: 'Qm9vdHN0cmFwRG9jdW1lbnQx',
          description: 'Agreement',
          sendResultToArchive: false,
        },
      ],
      signatureMethods: [{ name: 'nbid', type: 'AUTHENTICATION_BASED' }],
      authentication: { methods: ['nbid'], artifact: false },
      onTaskComplete: 'https://example.test/done?requestId=${requestId}&taskId=${taskId}',
      onTaskReject: 'https://example.test/rejected',
      onTaskPostpone: 'https://example.test/later',
      subject: { id: 's1', attributes: [{ name: 'national-id', value: '01017012345', methods: ['nbid'] }] },
      notifications: [
        {
          id: 'n1',
          type: 'EMAIL',
          recipient: 'signer@example.test',
          sender: 'noreply@example.test',
          header: 'Please sign',
          message: 'Sign here: ${taskUrl}',
          schedule: [{ triggerStatus: 'CREATED' }],
        },
      ],
    },
  ],
  packagingTasks: [
    {
      id: 'pkg1',
      method: 'pades',
      sendToArchive: false,
      documents: [{ taskId: 'task1', documentIds: ['doc1'] }],
      notifications: [
        {
          id: 'pn1',
          type: 'URL',
          recipient: 'https://example.test/hook',
          message: 'done',
          schedule: [{ triggerStatus: 'COMPLETED' }],
        },
      ],
    },
  ],
} satisfies SigningOrderInput;
