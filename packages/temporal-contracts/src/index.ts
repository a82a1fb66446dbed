// Everything the gateway, the portal, the workers and the workflows agree on. Safe to import from workflow code:
// nothing here does I/O or touches Node built-ins (random id generation lives in ./random).
export { TASK_QUEUES, type TaskQueue } from './task-queues.js';
export { SEARCH_ATTRIBUTES, SEARCH_ATTRIBUTE_KEYS, searchAttributeFlags } from './search-attributes.js';
export { clientPart, ids, SAFE_ID } from './ids.js';
export { ERROR_TYPES, type ErrorType } from './errors.js';
export { WORKFLOW_TYPES } from './workflow-types.js';
export { addDays, MAX_FORWARDS_PER_TASK, ORDER_MESSAGES, TASK_EVENT_TYPES, taskExpiries } from './orders.js';
export type {
  CreationResult,
  DocumentAction,
  OrderStateView,
  OrderStatus,
  OrderTaskInput,
  ForwardInvitation,
  SignerAction,
  TaskForward,
  SignerActionResult,
  SignerUpload,
  SigningOrderInput,
  SigningOrderOutcome,
  SigningTaskInput,
  TaskEvent,
  TaskOutcome,
  TaskStateView,
  TaskStatus,
} from './orders.js';
export type {
  ArchiveActivities,
  ArchiveProbe,
  ClaimedUpload,
  ClaimAndRecordOrderInput,
  ClaimOrderDocumentsResult,
  DeleteOrderDataInput,
  LegacyOrderActivities,
  OrderActivities,
  RecordOrderStatusInput,
  RecordTaskStatusInput,
  TaskChange,
  UploadExpiryBucketInput,
  UploadRef,
  DiagnosticRoundtripInput,
  DiagnosticRoundtripResult,
  DocumentStorageActivities,
  SealingActivities,
  NotificationActivities,
  NotificationProbe,
} from './activities.js';
export type {
  CallUrlInput,
  DeliverNotificationInput,
  NotificationAbout,
  NotificationContext,
  NotificationContextInput,
  NotificationDeliveryInput,
  NotificationDeliveryOutcome,
  EmailTemplate,
  NotificationLanguage,
  NotificationSpec,
  NotificationType,
  NotifySettings,
  PackagingTrigger,
  PlaceholderValues,
  CarriedPlaceholders,
  SendResult,
  SignCodeTarget,
  TaskNotificationPlan,
  TaskTrigger,
  UrlCallResult,
} from './notifications.js';
export {
  ACTIVITY_HEARTBEAT_EVERY_MS,
  ACTIVITY_HEARTBEAT_TIMEOUT,
  URL_ATTEMPT_HEARTBEAT_TIMEOUT_MS,
} from './activities.js';
export { own } from './own.js';
export { documentsToOpen, unopenedDocuments } from './opening.js';
export { signStatement, type SignStatement, type StatementSource } from './sign-statement.js';
export { ONE_TIME_CODE } from './signing.js';
export type {
  OneTimeCodeInput,
  DocumentResultRecord,
  FormFieldValue,
  SealDocumentInput,
  SealDocumentResult,
  SealRequest,
  SignatureType,
  SigningEvidence,
} from './signing.js';
export type {
  ArchiveInput,
  ArchiveRecord,
  ArchiveResult,
  ArchiveSource,
  PackageDocumentsInput,
  PackageDocumentsResult,
  PackagingRecord,
  PackagingStatus,
  PackagingTaskPlan,
} from './archive.js';
export { ARCHIVE_RENEWAL_MESSAGES } from './archive-renewal.js';
export type {
  ArchiveRenewalInput,
  ArchiveRenewalState,
  ArchiveRenewalStatus,
  ArchivedDocumentRef,
} from './archive-renewal.js';
export { emailTemplateFor, orderLanguage, withTemplate } from './email-templates.js';
