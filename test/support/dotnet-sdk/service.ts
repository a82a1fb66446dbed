import { MERCHANTS } from '../merchants.js';
import { mapFromJson, SdkWire, type SdkSettings } from './wire.js';
import { readAs, type Read } from './models.js';

/**
 * `EnterpriseSignatureService` of the SDK: each method sends what the SDK's method sends (its URL, including the
 * SDK's own mistakes) and answers what the SDK's caller gets (the model as read, or the bytes of a stream).
 */
export class EnterpriseSignatureService {
  readonly wire: SdkWire;

  constructor(settings: SdkSettings) {
    this.wire = new SdkWire(settings);
  }

  private get sign() {
    return this.wire.enterpriseSign;
  }

  private get orders() {
    return `${this.sign}/orders`;
  }

  async uploadSessionDocument(fileName: string, fileData: Buffer): Promise<Read> {
    return readAs.uploadDocument(
      mapFromJson((await this.wire.postFile(`${this.sign}/documents`, fileName, fileData)).text),
    );
  }

  async getDocument(documentId: string): Promise<Buffer> {
    return (await this.wire.request('GET', `${this.sign}/documents/${documentId}`)).bytes;
  }

  async deleteDocument(documentId: string): Promise<void> {
    await this.wire.request('DELETE', `${this.sign}/documents/${documentId}`);
  }

  async create(options: unknown): Promise<Read> {
    return readAs.signingOrder(mapFromJson((await this.wire.postJson(this.orders, options)).text));
  }

  async getOrder(orderId: string): Promise<Read> {
    return readAs.signingOrder(mapFromJson((await this.wire.request('GET', `${this.orders}/${orderId}`)).text));
  }

  async getTaskStatus(orderId: string, taskId: string): Promise<Read> {
    const res = await this.wire.request('GET', `${this.orders}/${orderId}/tasks/${taskId}/status`);
    return readAs.taskStatusInfo(mapFromJson(res.text));
  }

  async getTaskEvents(orderId: string, taskId: string): Promise<Read[]> {
    const res = await this.wire.request('GET', `${this.orders}/${orderId}/tasks/${taskId}/events`);
    return readAs.events(mapFromJson(res.text));
  }

  async getPackagingStatus(orderId: string, packagingTaskId: string): Promise<Read> {
    const res = await this.wire.request('GET', `${this.orders}/${orderId}/packaging-tasks/${packagingTaskId}/status`);
    return readAs.packagingTaskStatusInfo(mapFromJson(res.text));
  }

  async getSignedDocument(orderId: string, taskId: string, documentId: string): Promise<Buffer> {
    return (await this.wire.request('GET', `${this.orders}/${orderId}/tasks/${taskId}/documents/${documentId}/result`))
      .bytes;
  }

  async getArchivedDocument(archiveId: string): Promise<Buffer> {
    return (await this.wire.request('GET', `${this.sign}/archive-documents/${archiveId}`)).bytes;
  }

  /** As the SDK builds it: without the `/` between the base URL and `archive-documents`. */
  async deleteArchivedDocument(archiveId: string): Promise<void> {
    await this.wire.request('DELETE', `${this.sign}archive-documents/${archiveId}`);
  }

  async deleteSignOrder(orderId: string): Promise<void> {
    await this.wire.request('DELETE', `${this.orders}/${orderId}`);
  }
}

/** The SDK configured for the test stack as the migration guide says (BaseUrl, OAuthBaseUrl), as the demo merchant. */
export function sdkForStack(gatewayUrl: string, organisationId?: string): EnterpriseSignatureService {
  return new EnterpriseSignatureService({
    baseUrl: gatewayUrl,
    oauthBaseUrl: `${gatewayUrl}/auth/open`,
    clientId: MERCHANTS.demo.clientId,
    clientSecret: MERCHANTS.demo.secret,
    ...(organisationId ? { organisationId } : {}),
  });
}
