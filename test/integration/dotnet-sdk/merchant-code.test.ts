// Ordinary merchant code on Signicat's .NET SDK, replayed on the wire against the real stack: what its models send
// when the merchant sets only what they need (0 for unset longs, Guid.Empty, nulls), what newer SDK versions and
// generated clients add (unknown fields, empty lists, upper-case languages), uploads named without an extension, ids
// that are not GUIDs (`task.1`, `doc 1`, `a:b@c`), and the SDK's own malformed DeleteArchivedDocument path.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gatewayUrl, stackClients } from '../../support/clients.js';
import { makePdf } from '../../support/documents.js';
import { signerAction, testSeal } from '../../support/tasks.js';
import {
  authentication,
  EMPTY_GUID,
  signatureMethod,
  signatureTask,
  signingOrderCreateOptions,
  taskDocument,
  taskNotification,
} from '../../support/dotnet-sdk/models.js';
import { sdkForStack } from '../../support/dotnet-sdk/service.js';
import type { SignicatException } from '../../support/dotnet-sdk/wire.js';
import { type SdkResponse } from '../../support/dotnet-sdk/wire.js';

type Obj = Record<string, unknown>;
const api = () => `${gatewayUrl()}/enterprise/sign`;
const path = (...segments: string[]) => [api(), ...segments.map(encodeURIComponent)].join('/');

describe('merchant code on the .NET SDK, replayed', () => {
  const service = sdkForStack(gatewayUrl(), 'org-4711');
  let c: Awaited<ReturnType<typeof stackClients>>;
  let pdf: Buffer;
  beforeAll(async () => {
    c = await stackClients();
    pdf = await makePdf();
  });
  afterAll(async () => {
    await c.close();
  });

  it('finds the token endpoint the SDK derives in the discovery document', async () => {
    const discovery = (await (await fetch(`${gatewayUrl()}/auth/open/.well-known/openid-configuration`)).json()) as Obj;
    expect(discovery.token_endpoint).toBe(service.wire.tokenUrl);
    const token = await service.wire.authorize();
    expect(token.token_type).toMatch(/^bearer$/i);
  });

  it('takes an order with only what the merchant set: 0 days, Guid.Empty, empty lists, EN, newer fields reported', async () => {
    const upload = await service.uploadSessionDocument('agreement.pdf', pdf);
    const taskId = randomUUID();
    const options = signingOrderCreateOptions({
      clientReference: randomUUID(),
      tasks: [
        signatureTask({
          id: taskId,
          language: 'EN',
          documents: [taskDocument({ id: randomUUID(), documentRef: upload.documentId })],
          signatureMethods: [signatureMethod({ name: 'nbid-sign' })],
          notifications: [],
          // a field a newer SDK sends that this platform does not model
          onTaskExpire: 'https://merchant.example/expired',
        }),
      ],
      notifications: [],
      packagingTasks: [],
      notificationTemplateParams: [],
    });
    const res = await service.wire.postJson(`${api()}/orders`, options);
    expect(res.status).toBe(201);
    expect(res.headers.get('x-sign-ignored-fields')).toBe('tasks[0].onTaskExpire');
    const order = (await service.getOrder(JSON.parse(res.text).id as string)) as Obj & { tasks: Obj[] };
    expect(order.daysUntilDeletion).toBe(30);
    expect(order.tasks[0]).toMatchObject({ id: taskId, daysToLive: 30, language: 'en' });
    expect((order.tasks[0]!.documents as Obj[])[0]!.externalReference).toBe(EMPTY_GUID);
    // the SDK's optional organisation id travels as a header and a query parameter, and changes nothing
    expect(service.wire.sent.at(-1)!.headers['Signicat-OrganizationId']).toBe('org-4711');
    expect(service.wire.sent.at(-1)!.url).toContain('signicat-organizationId=org-4711');
  });

  it('answers authentication.artifact: true with the order’s artifact (it takes effect, nothing reported)', async () => {
    const upload = await service.uploadSessionDocument('agreement.pdf', pdf);
    const options = signingOrderCreateOptions({
      tasks: [
        signatureTask({
          id: randomUUID(),
          documents: [taskDocument({ id: randomUUID(), documentRef: upload.documentId })],
          signatureMethods: [signatureMethod({ handwritten: false })],
          authentication: authentication({ methods: ['nbid'], artifact: true }),
        }),
      ],
    });
    const res = await service.wire.postJson(`${api()}/orders`, options);
    expect(res.headers.get('x-sign-ignored-fields')).toBe(null);
    const body = JSON.parse(res.text) as { artifact?: string; tasks: Array<{ artifact?: string }> };
    expect(body.artifact).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(body.tasks[0]!.artifact).toBe(body.artifact);
  });

  it('stores an upload sent as application/octet-stream (no file extension) as what its bytes are', async () => {
    const asPdf = await service.uploadSessionDocument('contract', pdf);
    expect(service.wire.sent.at(-1)!.headers['Content-Type']).toBe('application/octet-stream');
    const back = await service.wire.request('GET', `${api()}/documents/${asPdf.documentId}`);
    expect(back.headers.get('content-type')).toBe('application/pdf');
    expect(back.bytes.equals(pdf)).toBe(true);
    const text = Buffer.from('Avtale – signeres av begge parter.\n', 'utf8');
    const asText = await service.uploadSessionDocument('README', text);
    const textBack = await service.wire.request('GET', `${api()}/documents/${asText.documentId}`);
    expect(textBack.headers.get('content-type')).toMatch(/^text\/plain/);
    // bytes that are neither a PDF nor UTF-8 text: 415, as for any type this platform does not take
    const binary = await service
      .uploadSessionDocument('blob', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0xff, 0xfe]))
      .catch((e: unknown) => e);
    expect((binary as SignicatException).httpStatusCode).toBe(415);
  }, 60_000);

  it('creates, signs and reads back an order whose ids are task.1, doc 1 and a:b@c', async () => {
    const upload = await service.uploadSessionDocument('agreement.pdf', pdf);
    const ids = { task: 'task.1', doc: 'doc 1', notification: 'a:b@c' };
    const res = await service.wire.postJson(
      `${api()}/orders`,
      signingOrderCreateOptions({
        clientReference: randomUUID(),
        tasks: [
          signatureTask({
            id: ids.task,
            documents: [taskDocument({ id: ids.doc, documentRef: upload.documentId, sendResultToArchive: true })],
            signatureMethods: [signatureMethod({ name: 'nbid-sign', type: 'AUTHENTICATION_BASED' })],
            notifications: [
              taskNotification({
                id: ids.notification,
                type: 'EMAIL',
                recipient: 'signer@example.test',
                message: 'Sign: ${taskUrl}',
              }),
            ],
          }),
        ],
      }),
    );
    const created = JSON.parse(res.text) as { id: string; tasks: Obj[] };
    expect(created.tasks[0]).toMatchObject({ id: ids.task });
    expect(String(created.tasks[0]!.signingUrl)).toContain(`task_id=${encodeURIComponent(ids.task)}`);
    await signerAction(c.temporal, created.id, ids.task, {
      type: 'SIGNED',
      documentId: ids.doc,
      opened: [ids.doc],
      seal: testSeal(),
    });
    let status: SdkResponse | undefined;
    await expect
      .poll(
        async () => {
          status = await service.wire.request('GET', path('orders', created.id, 'tasks', ids.task, 'status'));
          const body = JSON.parse(status.text) as { documents: Obj[] };
          return body.documents[0]!.archiveId !== undefined && body.documents[0]!.resultUri !== undefined;
        },
        { timeout: 60_000 },
      )
      .toBe(true);
    const body = JSON.parse(status!.text) as { taskStatus: string; documents: Obj[] };
    expect(body.taskStatus).toBe('COMPLETED');
    expect(body.documents[0]!.resultUri).toBe(
      `${path('orders', created.id, 'tasks', ids.task, 'documents', ids.doc)}/result`,
    );
    const result = await service.wire.request('GET', body.documents[0]!.resultUri as string);
    expect(result.bytes.subarray(0, 5).toString()).toBe('%PDF-');
    const events = JSON.parse(
      (await service.wire.request('GET', path('orders', created.id, 'tasks', ids.task, 'events'))).text,
    ) as Obj[];
    expect(events.map((e) => e.eventType)).toEqual(
      expect.arrayContaining(['TASK_CREATED', 'NOTIFICATION_SENT', 'TASK_COMPLETED']),
    );

    // The SDK's DeleteArchivedDocument leaves out the `/` before `archive-documents`: that path is no path here.
    const archiveId = body.documents[0]!.archiveId as string;
    const malformed = await service.deleteArchivedDocument(archiveId).catch((e: unknown) => e);
    expect((malformed as SignicatException).httpStatusCode).toBe(404);
    expect((await service.getArchivedDocument(archiveId)).subarray(0, 5).toString()).toBe('%PDF-');
    expect((await service.wire.request('DELETE', `${api()}/archive-documents/${archiveId}`)).status).toBe(204);
  }, 90_000);
});
