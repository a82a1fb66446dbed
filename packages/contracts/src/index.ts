// The public API's contract: models (zod), request validation and the OpenAPI document built from the same
// models. No I/O here: the gateway checks what needs I/O at the places ioCheckPlaces lists.
export * from './enums.js';
export { LIMITS } from './limits.js';
export { apiRegistry } from './registry.js';
export { Delay, TaskNotificationSchedule, PackagingTaskNotificationSchedule } from './notification.js';
export { TaskNotification, SigningOrderNotification, PackagingTaskNotification } from './notification.js';
export { Document, Form, InputParam } from './document.js';
export { Authentication, Dialog, SignatureMethod, Subject, SubjectAttribute, Task } from './task.js';
export { PackagingTask, PackagingTaskDocument } from './packaging.js';
export { NotificationTemplateParams, SigningOrder, type SigningOrderInput } from './order.js';
export { SigningOrderResponse, SigningOrderTask } from './order-response.js';
export { DocumentUploadResponse, Event, PackagingTaskStatusInfo, TaskForwardDetails } from './status.js';
export { TaskStatusDocument, TaskStatusInfo } from './status.js';
export { Problem } from './problem.js';
export { MODELS } from './models.js';
export { isClientId, isE164, isEmail, isEmailSender, isHttpUrl, isId, isRedirectUrl, isSmsSender } from './formats.js';
export { contractErrorMap } from './messages.js';
export { formatPropertyPath, zodIssuesToViolations, type ValidationResult, type Violation } from './violations.js';
export { crossFieldViolations, parseWith, validateSigningOrder, type OrderValidation } from './validate-order.js';
export { findCycles } from './rules-dependencies.js';
export { documentRefPlaces, ioCheckPlaces, type IoCheckPlaces } from './io-checks.js';
export type { DocumentRefPlace, NamePlace, UrlPlace } from './io-checks.js';
export { OPERATIONS, expressPath, pathParameters, type Operation, type OperationId } from './operations.js';
export { buildOpenApiDocument, type OpenApiDocument, type OpenApiOptions } from './openapi.js';
export { EXAMPLE_SIGNING_ORDER } from './example-order.js';
