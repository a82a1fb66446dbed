// Every maximum the contract leaves open, in one place. The published schema allows up to 2^31-1 tasks; no
// merchant needs that, and unbounded input is a denial-of-service lever, so these caps are deliberate. Each one is
// stated in the OpenAPI document (maxItems / maxLength / maximum) because the same zod schemas produce it.
export const LIMITS = {
  tasks: 100,
  documentsPerTask: 100,
  notificationsPerList: 50,
  schedulesPerNotification: 20,
  packagingTasks: 100,
  packagingDocumentsPerTask: 100,
  documentIdsPerPackagingEntry: 100,
  dependsOnTasks: 100,
  signatureMethods: 20,
  authenticationMethods: 20,
  subjectAttributes: 20,
  attributeMethods: 20,
  inputParams: 200,
  notificationTemplateParams: 50,

  idLength: 128,
  clientIdLength: 255,
  clientReference: 255,
  name: 100,
  shortText: 255,
  header: 500,
  description: 1000,
  longText: 10_000,
  smsMessage: 1600,
  url: 2048,
  email: 254,

  daysToLive: { min: 1, max: 365, default: 30 },
  daysUntilDeletion: { min: 1, max: 30, default: 30 },
  delay: { days: 365, hours: 365 * 24, minutes: 365 * 24 * 60 },

  /** A valid order is at most 9 levels deep; anything deeper than this is refused before it is walked. */
  maxDepth: 16,
  /** A 400 lists at most this many violations, so a hostile body cannot make a huge error response. */
  maxViolations: 100,
} as const;

const ARRAY_LIMITS = [
  LIMITS.tasks,
  LIMITS.documentsPerTask,
  LIMITS.notificationsPerList,
  LIMITS.schedulesPerNotification,
  LIMITS.packagingTasks,
  LIMITS.packagingDocumentsPerTask,
  LIMITS.documentIdsPerPackagingEntry,
  LIMITS.dependsOnTasks,
  LIMITS.signatureMethods,
  LIMITS.authenticationMethods,
  LIMITS.subjectAttributes,
  LIMITS.attributeMethods,
  LIMITS.inputParams,
  LIMITS.notificationTemplateParams,
];

/** Arrays are cut to this length before they are inspected: one more than any maximum, so the maximum still fires. */
export const MAX_ARRAY_INSPECTED = Math.max(...ARRAY_LIMITS) + 1;
