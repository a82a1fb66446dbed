// The SDK's Enterprise models (Services/Signing/Enterprise/Entities), as its serializer writes them and as it reads
// answers into them. Writing: every property, in declaration order, unset reference types as null, unset value types
// at their C# default (Guid.Empty, 0, false, an enum's first member); `schedule` and `delay` left out when null
// (their [JsonIgnore(WhenWritingNull)]). Reading: read-models.ts.
import { EMPTY_GUID } from './read-models.js';

export { EMPTY_GUID, readAs, type Read } from './read-models.js';

type Obj = Record<string, unknown>;

export const signingOrderCreateOptions = (p: Obj = {}): Obj => ({
  clientReference: EMPTY_GUID,
  tasks: null,
  notifications: null,
  daysUntilDeletion: 0,
  packagingTasks: null,
  ...p,
});

export const signatureTask = (p: Obj = {}): Obj => ({
  id: EMPTY_GUID,
  profile: null,
  language: null,
  daysToLive: 0,
  configuration: null,
  documents: null,
  signatureMethods: null,
  authentication: null,
  onTaskPostpone: null,
  onTaskComplete: null,
  onTaskReject: null,
  dialog: null,
  notifications: null,
  signText: null,
  signingUrl: null,
  subject: null,
  dependsOnTasks: null,
  ...p,
});

export const taskDocument = (p: Obj = {}): Obj => ({
  id: EMPTY_GUID,
  description: null,
  action: 'SIGN',
  source: 'SESSION',
  documentRef: null,
  externalReference: EMPTY_GUID,
  signTextEntry: null,
  sendResultToArchive: false,
  form: null,
  ...p,
});

export const signatureMethod = (p: Obj = {}): Obj => ({ name: null, type: null, handwritten: false, ...p });
export const authentication = (p: Obj = {}): Obj => ({ methods: null, artifact: false, ...p });
export const subject = (p: Obj = {}): Obj => ({ id: null, attributes: null, ...p });
export const attribute = (p: Obj = {}): Obj => ({ name: null, value: null, methods: null, ...p });

const withoutNull = (o: Obj, key: string): Obj => {
  if (o[key] === null || o[key] === undefined) delete o[key];
  return o;
};

export const taskNotification = (p: Obj = {}): Obj =>
  withoutNull(
    { id: EMPTY_GUID, recipient: null, sender: null, header: null, message: null, type: 'SMS', schedule: null, ...p },
    'schedule',
  );
export const taskNotificationSchedule = (p: Obj = {}): Obj =>
  withoutNull({ triggerStatus: 'CREATED', delay: null, ...p }, 'delay');

export const packagingTask = (p: Obj = {}): Obj => ({
  id: EMPTY_GUID,
  sendToArchive: false,
  method: null,
  notifications: null,
  documents: null,
  ...p,
});
export const packagingTaskDocument = (p: Obj = {}): Obj => ({ taskId: EMPTY_GUID, documentIds: null, ...p });
export const packagingTaskNotification = (p: Obj = {}): Obj =>
  withoutNull(
    { id: EMPTY_GUID, recipient: null, sender: null, header: null, message: null, type: 'SMS', schedule: null, ...p },
    'schedule',
  );
