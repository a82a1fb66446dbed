// @esign/client: a typed client of the Sign API v1 as this platform serves it. The types are generated from the
// OpenAPI document (src/generated/api.ts); the helpers are what every merchant integration writes anyway.
export {
  SignClient,
  type CreateOrderOptions,
  type PackagingTaskStatusInfo,
  type SignClientOptions,
  type SigningOrder,
  type SigningOrderResponse,
  type TaskEvent,
  type TaskStatusInfo,
} from './client.js';
export { ClientCredentials, type ClientCredentialsOptions } from './token.js';
export { SignApiError, TokenError, WaitTimeoutError, type Problem, type Violation } from './errors.js';
export { callbackParams, verifyCallback, type CallbackToVerify, type CallbackVerdict } from './callbacks.js';
export type { UploadContentType, UploadOptions, UploadSource } from './upload.js';
export type { Downloaded } from './download.js';
export type { WaitOptions } from './wait.js';
export type { components, operations, paths } from './generated/api.js';
