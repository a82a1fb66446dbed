export const UPLOAD_CONTENT_TYPES = ['application/pdf', 'text/plain'] as const;
export type UploadContentType = (typeof UPLOAD_CONTENT_TYPES)[number];
