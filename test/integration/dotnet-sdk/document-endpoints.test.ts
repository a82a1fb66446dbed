// Signicat's .NET SDK, its integration test class EnterpriseSigningTestDocumentEndpoints, replayed on the wire
// against the real stack: each test sends what the SDK's test sends (sync and async variants send the same requests)
// and checks the answers as the SDK's models and the test's assertions read them.
import { beforeAll, describe, expect, it } from 'vitest';
import { gatewayUrl } from '../../support/clients.js';
import { makePdf } from '../../support/documents.js';
import { sdkForStack } from '../../support/dotnet-sdk/service.js';
import { SignicatException } from '../../support/dotnet-sdk/wire.js';

const sdkService = () => sdkForStack(gatewayUrl());

describe('EnterpriseSigningTestDocumentEndpoints, replayed', () => {
  let dummyPdf: Buffer;
  beforeAll(async () => {
    dummyPdf = await makePdf();
  });

  for (const variant of ['', 'Async']) {
    it(`UploadSessionDocument${variant}ShouldReturnNotNull`, async () => {
      const service = sdkService();
      const result = await service.uploadSessionDocument('dummy.pdf', dummyPdf);
      expect(result.documentId).toEqual(expect.any(String));
      expect(result.documentId).not.toBe('');
      // what the SDK sent: its token request with the credentials in the form, then the upload as application/pdf
      const [token, upload] = service.wire.sent;
      expect(token!.headers).not.toHaveProperty('Authorization');
      expect(token!.headers['Content-Type']).toBe('application/x-www-form-urlencoded; charset=utf-8');
      expect(upload!.headers).toMatchObject({ 'Content-Type': 'application/pdf', 'Signicat-SDK': 'dotnet 1.15.0' });
    });

    it(`DownloadDocument${variant}ShouldReturnTheSameDocument`, async () => {
      const service = sdkService();
      const result = await service.uploadSessionDocument('dummy.pdf', dummyPdf);
      const document = await service.getDocument(result.documentId as string);
      expect(document.equals(dummyPdf)).toBe(true);
    });

    it(`DeleteDocument${variant}ShouldBeSuccess`, async () => {
      const service = sdkService();
      const result = await service.uploadSessionDocument('dummy.pdf', dummyPdf);
      if (variant === '') await service.getDocument(result.documentId as string);
      await service.deleteDocument(result.documentId as string);
      // deleted: the SDK's GetDocument now throws with a 404
      const gone = await service.getDocument(result.documentId as string).catch((e: unknown) => e);
      expect(gone).toBeInstanceOf(SignicatException);
      expect((gone as SignicatException).httpStatusCode).toBe(404);
    });
  }
});
