import { UPLOAD_CONTENT_TYPES, type UploadContentType } from '@esign/document-store';
import { HttpProblem } from '../problem.js';

/**
 * The upload's media type from its Content-Type header; `sniff` for application/octet-stream (the type is then taken
 * from the bytes, see sniff.ts); 415 for anything but PDF or UTF-8 text.
 */
export function uploadContentType(header: string | undefined): UploadContentType | 'sniff' {
  const [type = '', ...params] = (header ?? '').split(';').map((p) => p.trim().toLowerCase());
  if (type === 'application/octet-stream') return 'sniff';
  const supported = UPLOAD_CONTENT_TYPES.find((t) => t === type);
  const charset = params
    .find((p) => p.startsWith('charset='))
    ?.slice('charset='.length)
    .replace(/"/g, '');
  if (!supported || (supported === 'text/plain' && charset && charset !== 'utf-8' && charset !== 'utf8')) {
    throw new HttpProblem(
      415,
      'Unsupported Media Type',
      'Upload application/pdf or text/plain (charset utf-8) with the matching Content-Type, or ' +
        'application/octet-stream for a PDF or UTF-8 text recognised by its bytes.',
    );
  }
  return supported;
}

/**
 * Uploads are the raw file (contract §3): a compressed body would be stored as its compressed bytes and then fail
 * the PDF or UTF-8 check with a misleading message, so any Content-Encoding but `identity` is a 415 up front.
 */
export function checkUploadEncoding(header: string | undefined): void {
  const encoding = (header ?? 'identity').trim().toLowerCase();
  if (encoding !== 'identity' && encoding !== '') {
    throw new HttpProblem(
      415,
      'Unsupported Media Type',
      'Upload the document uncompressed: a Content-Encoding is not accepted for uploads.',
    );
  }
}
