import { randomUUID } from 'node:crypto';
import createClient, { type Client } from 'openapi-fetch';
import { downloadTo, type Downloaded } from './download.js';
import { errorFrom } from './errors.js';
import type { components, paths } from './generated/api.js';
import { ClientCredentials } from './token.js';
import { authorizedFetch, retryDelaySeconds, sleep, type AuthorizedFetch } from './transport.js';
import { uploadDocument, type UploadOptions, type UploadSource } from './upload.js';
import { pollUntil, type WaitOptions } from './wait.js';

type Schemas = components['schemas'];
export type SigningOrder = Schemas['SigningOrder'];
export type SigningOrderResponse = Schemas['SigningOrderResponse'];
export type TaskStatusInfo = Schemas['TaskStatusInfo'];
export type PackagingTaskStatusInfo = Schemas['PackagingTaskStatusInfo'];
export type TaskEvent = Schemas['Event'];

export interface SignClientOptions {
  /** The API's base URL, origin and base path: `https://sign.example.test/enterprise/sign`. */
  baseUrl: string;
  clientId: string;
  clientSecret: string;
  /** Default: `<origin of baseUrl>/auth/open/connect/token`. */
  tokenUrl?: string;
  fetch?: typeof fetch;
}

export interface CreateOrderOptions {
  /** Default: a random UUID, so the retries of this call (and yours, if you keep the key) create one order. */
  idempotencyKey?: string;
  /** Retries after a connection error, 429 or 503 (default 2), with the same key. */
  retries?: number;
}

const FINAL_TASK_STATUSES = new Set<Schemas['TaskStatus']>(['COMPLETED', 'REJECTED', 'EXPIRED', 'DELETED']);

/** The Sign API with a cached token, typed from its OpenAPI document, plus the helpers merchants write anyway. */
export class SignClient {
  /** Every operation, typed (openapi-fetch): `api.GET('/orders/{orderId}', { params: { path: { orderId } } })`. */
  readonly api: Client<paths>;
  readonly baseUrl: string;
  private readonly send: AuthorizedFetch;

  constructor(options: SignClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    const tokenUrl = options.tokenUrl ?? `${new URL(this.baseUrl).origin}/auth/open/connect/token`;
    const credentials = new ClientCredentials({ ...options, tokenUrl });
    this.send = authorizedFetch(credentials, options.fetch);
    this.api = createClient<paths>({ baseUrl: this.baseUrl, fetch: (request) => this.send(request) });
  }

  /** Uploads a document from a file path, bytes or a stream (streamed, never buffered whole). */
  upload(source: UploadSource, options?: UploadOptions) {
    return uploadDocument(this.send, this.baseUrl, source, options);
  }

  /** `POST /orders` with an `Idempotency-Key`, retried on connection errors, 429 and 503 with the same key. */
  async createOrder(order: SigningOrder, options: CreateOrderOptions = {}): Promise<SigningOrderResponse> {
    const key = options.idempotencyKey ?? randomUUID();
    for (let attempt = 0; ; attempt++) {
      const retriesLeft = attempt < (options.retries ?? 2);
      let result;
      try {
        result = await this.api.POST('/orders', { body: order, params: { header: { 'Idempotency-Key': key } } });
      } catch (err) {
        if (!retriesLeft) throw err;
        await sleep(1000 * 2 ** attempt);
        continue;
      }
      if (result.data) return result.data;
      const { response } = result;
      if (!retriesLeft || (response.status !== 429 && response.status !== 503)) {
        throw await errorFrom(response, result.error);
      }
      await sleep(retryDelaySeconds(response, 2 ** attempt) * 1000);
    }
  }

  async getOrder(orderId: string): Promise<SigningOrderResponse> {
    return this.data(await this.api.GET('/orders/{orderId}', { params: { path: { orderId } } }));
  }

  async deleteOrder(orderId: string): Promise<void> {
    const result = await this.api.DELETE('/orders/{orderId}', { params: { path: { orderId } } });
    if (!result.response.ok) throw await errorFrom(result.response, result.error);
  }

  async taskStatus(orderId: string, taskId: string): Promise<TaskStatusInfo> {
    const path = { orderId, taskId };
    return this.data(await this.api.GET('/orders/{orderId}/tasks/{taskId}/status', { params: { path } }));
  }

  async taskEvents(orderId: string, taskId: string): Promise<TaskEvent[]> {
    const path = { orderId, taskId };
    return this.data(await this.api.GET('/orders/{orderId}/tasks/{taskId}/events', { params: { path } }));
  }

  async packagingStatus(orderId: string, packagingTaskId: string): Promise<PackagingTaskStatusInfo> {
    const path = { orderId, packagingTaskId };
    const url = '/orders/{orderId}/packaging-tasks/{packagingTaskId}/status' as const;
    return this.data(await this.api.GET(url, { params: { path } }));
  }

  /** Polls the task's status with backoff until it is final (not CREATED), or `until` says so. */
  waitForTask(
    orderId: string,
    taskId: string,
    options: WaitOptions & { until?: (s: TaskStatusInfo) => boolean } = {},
  ): Promise<TaskStatusInfo> {
    const until = options.until ?? ((s) => FINAL_TASK_STATUSES.has(s.taskStatus));
    return pollUntil(`task ${taskId} of order ${orderId}`, () => this.taskStatus(orderId, taskId), until, options);
  }

  /** Polls a packaging task's status with backoff until it is COMPLETED or FAILED. */
  waitForPackaging(orderId: string, packagingTaskId: string, options: WaitOptions = {}) {
    const read = () => this.packagingStatus(orderId, packagingTaskId);
    const what = `packaging task ${packagingTaskId} of order ${orderId}`;
    return pollUntil(what, read, (s) => s.packagingTaskStatus !== 'CREATED', options);
  }

  /** Streams a task document's signed result into `file`. */
  downloadTaskResult(orderId: string, taskId: string, documentId: string, file: string): Promise<Downloaded> {
    const path = `/orders/${enc(orderId)}/tasks/${enc(taskId)}/documents/${enc(documentId)}/result`;
    return downloadTo(this.send, this.baseUrl + path, file);
  }

  /** Streams a packaging task's package (one PDF with every signer's signature) into `file`. */
  downloadPackage(orderId: string, packagingTaskId: string, file: string): Promise<Downloaded> {
    const path = `/orders/${enc(orderId)}/packaging-tasks/${enc(packagingTaskId)}/result`;
    return downloadTo(this.send, this.baseUrl + path, file);
  }

  /** Streams an archived document into `file`. */
  downloadArchived(archiveId: string, file: string): Promise<Downloaded> {
    return downloadTo(this.send, `${this.baseUrl}/archive-documents/${enc(archiveId)}`, file);
  }

  private async data<T>(result: { data?: T; error?: unknown; response: Response }): Promise<T> {
    if (result.data !== undefined) return result.data;
    throw await errorFrom(result.response, result.error);
  }
}

const enc = encodeURIComponent;
