// Signicat's .NET SDK, its integration test class EnterpriseSigningTestSignatureEndpoints, replayed on the wire
// against the real stack. Setup builds the SDK test's `validSignRequest` with the SDK's models (fresh GUIDs per test,
// every unset property null, the SDK's defaults for value types); each test sends what the SDK's test sends and
// checks what its assertions check, reading every answer as the SDK's models do. The fixture's one-time teardown
// (every document deleted beside the orders that used them) is the last test. One change: the packaging task's URL
// notification goes to a local receiver instead of a public request bin.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { gatewayUrl } from '../../support/clients.js';
import { makePdf } from '../../support/documents.js';
import { startReceiver } from '../../support/receiver.js';
import {
  attribute,
  authentication,
  packagingTask,
  packagingTaskDocument,
  packagingTaskNotification,
  signatureMethod,
  signatureTask,
  signingOrderCreateOptions,
  subject,
  taskDocument,
  taskNotification,
  taskNotificationSchedule,
} from '../../support/dotnet-sdk/models.js';
import { sdkForStack } from '../../support/dotnet-sdk/service.js';
import { SignicatException } from '../../support/dotnet-sdk/wire.js';

type Obj = Record<string, unknown>;

describe('EnterpriseSigningTestSignatureEndpoints, replayed', () => {
  const service = sdkForStack(gatewayUrl());
  const documentIds = new Set<string>();
  const signOrderIds = new Set<string>();
  let fileData: Buffer;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let taskId: string;
  let packagingTaskId: string;
  let documents: Obj[];
  let validSignRequest: Obj;

  beforeAll(async () => {
    fileData = await makePdf();
    receiver = await startReceiver([200]);
  });
  afterAll(async () => {
    await receiver.stop();
  });

  /** The task of the SDK test's orders, with or without a subject. */
  const task = (extra: Obj = {}) =>
    signatureTask({
      id: taskId,
      signatureMethods: [signatureMethod({ handwritten: true })],
      authentication: authentication({ methods: ['scid-sms'] }),
      language: 'en',
      documents,
      daysToLive: 1,
      onTaskComplete: 'http://www.vg.no#success',
      onTaskReject: 'http://www.vg.no#reject',
      onTaskPostpone: 'http://www.vg.no#postpone',
      notifications: [
        taskNotification({
          header: 'Documents to be signed',
          id: randomUUID(),
          message: 'Please sign this document: ${taskUrl}',
          recipient: 'test@signicat.com',
          schedule: [taskNotificationSchedule({ triggerStatus: 'CREATED' })],
          type: 'EMAIL',
          sender: 'noreply@signicat.com',
        }),
      ],
      ...extra,
    });

  const order = (taskExtra: Obj = {}) =>
    signingOrderCreateOptions({
      clientReference: randomUUID(),
      daysUntilDeletion: 1,
      tasks: [task(taskExtra)],
      packagingTasks: [
        packagingTask({
          id: packagingTaskId,
          method: 'pades',
          documents: [packagingTaskDocument({ taskId, documentIds: [documents[0]!.id] })],
          notifications: [
            packagingTaskNotification({
              id: randomUUID(),
              recipient: `${receiver.url}/bin`,
              type: 'URL',
              message: 'test',
            }),
          ],
        }),
      ],
    });

  beforeEach(() => {
    taskId = randomUUID();
    packagingTaskId = randomUUID();
    documents = [
      taskDocument({
        action: 'SIGN',
        description: 'Document description: Nice document to sign',
        source: 'SESSION',
        externalReference: randomUUID(),
        id: randomUUID(),
        sendResultToArchive: true,
      }),
    ];
    validSignRequest = order();
  });

  /** The steps every test of the class starts with: upload dummy.pdf, name it in the order, create the order. */
  async function uploadAndCreate(keep = true) {
    const documentId = await service.uploadSessionDocument('dummy.pdf', fileData);
    expect(documentId).not.toBeNull();
    documentIds.add(documentId.documentId as string);
    documents[0]!.documentRef = documentId.documentId;
    const response = await service.create(validSignRequest);
    expect(response.id).toEqual(expect.any(String));
    expect(response.id).not.toBe('');
    if (keep) signOrderIds.add(response.id as string);
    return response;
  }

  for (const variant of ['', 'Async']) {
    it(`TestCreateSigninOrderSuccess${variant}`, async () => {
      const response = await uploadAndCreate();
      // the order as the SDK reads it echoes what it sent
      expect(response.tasks[0].id).toBe(taskId);
      expect(response.tasks[0].documents[0].externalReference).toBe(documents[0]!.externalReference);
      expect(response.packagingTasks[0].id).toBe(packagingTaskId);
      expect(response.tasks[0].signingUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/std\/docaction\?/);
    });

    it(`TestGetTaskStatusSuccess${variant}`, async () => {
      const response = await uploadAndCreate();
      const taskResponseInfo = await service.getTaskStatus(response.id as string, taskId);
      expect(taskResponseInfo).not.toBeNull();
      expect(taskResponseInfo.taskId).toBe(taskId);
      expect(taskResponseInfo.taskStatus).toBe('CREATED');
      const [doc] = taskResponseInfo.documents as Obj[];
      // every URI absolute, under the configured public API URL, and readable as it is
      expect(doc!.originalUri).toBe(
        `${gatewayUrl()}/enterprise/sign/orders/${response.id}/tasks/${taskId}/documents/${documents[0]!.id}/original`,
      );
      const original = await service.wire.request('GET', doc!.originalUri as string);
      expect(original.bytes.equals(fileData)).toBe(true);
    });

    it(`TestGetGetOrderSuccess${variant}`, async () => {
      const response = await uploadAndCreate();
      const order = await service.getOrder(response.id as string);
      expect(order).not.toBeNull();
      expect(order.id).toBe(response.id);
      expect(order.tasks[0].id).toBe((validSignRequest.tasks as Obj[])[0]!.id);
    });

    it(`TestGetTaskEventsSuccess${variant}`, async () => {
      const response = await uploadAndCreate();
      const taskEvents = await service.getTaskEvents(response.id as string, taskId);
      expect(taskEvents).not.toBeNull();
      expect(taskEvents).toHaveLength(2);
      expect(taskEvents.map((e) => e.eventType)).toEqual(['TASK_CREATED', 'NOTIFICATION_SENT']);
    });

    it(`TestDelete${variant === '' ? 'r' : ''}SignOrderSuccess${variant}`, async () => {
      const response = await uploadAndCreate(false);
      await service.deleteSignOrder(response.id as string);
      const gone = await service.getOrder(response.id as string).catch((e: unknown) => e);
      expect((gone as SignicatException).httpStatusCode).toBe(404);
    });
  }

  it('TestCreateSigningOrderInvalidMapErrorCorrect', async () => {
    const ex = await (async () => {
      const documentId = await service.uploadSessionDocument('dummy.pdf', fileData);
      documents[0]!.documentRef = documentId.documentId;
      documentIds.add(documentId.documentId as string);
      await service.create(
        order({
          subject: subject({ id: randomUUID(), attributes: [attribute({ name: 'Bruce Wayne' })] }),
          language: 'nb',
        }),
      );
    })().catch((e: unknown) => e);
    expect(ex).toBeInstanceOf(SignicatException);
    const { error, httpStatusCode } = ex as SignicatException;
    expect(error).not.toBeNull();
    expect(error.validationErrors).not.toHaveLength(0);
    expect(httpStatusCode).toBe(400);
    expect(error.validationErrors[0]!.propertyName).toBe('tasks[0].subject.attributes[0].value');
    expect(error.validationErrors[0]!.reason).toBe('Subject attribute value is required');
  });

  it('Cleanup (OneTimeTearDown): every document and order deleted at once, documents the orders use included', async () => {
    expect(documentIds.size).toBeGreaterThan(0);
    expect(signOrderIds.size).toBeGreaterThan(0);
    const [ids] = [[...signOrderIds]];
    // Some orders are gone already (DeleteSignOrder): their documents must still delete without an error.
    await Promise.all([
      ...[...documentIds].map((id) => service.deleteDocument(id)),
      ...ids.map((id) => service.deleteSignOrder(id)),
    ]);
    for (const id of ids) {
      expect(((await service.getOrder(id).catch((e: unknown) => e)) as SignicatException).httpStatusCode).toBe(404);
    }
  });
});
