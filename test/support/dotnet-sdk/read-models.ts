// The SDK's Enterprise models as it reads answers into them: System.Text.Json with case-insensitive names, where a
// null or a wrongly typed value for a non-nullable Guid, long, bool or enum throws, and unknown properties are skipped.

export const EMPTY_GUID = '00000000-0000-0000-0000-000000000000';

type Shape =
  | 'guid'
  | 'long'
  | 'bool'
  | 'string'
  | 'uri'
  | 'dateTime?'
  | { enum: readonly string[]; nullable?: boolean }
  | { list: Shape }
  | { object: Record<string, Shape> };

const GUID = /^(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[0-9a-f]{32})$/i;

/** Reads `value` as System.Text.Json reads it into a property of this shape; throws where the SDK would throw. */
function read(shape: Shape, value: unknown, path: string): unknown {
  const fail = (why: string): never => {
    throw new Error(`the SDK cannot read ${path || 'the answer'}: ${why} (${JSON.stringify(value)})`);
  };
  if (shape === 'guid') {
    if (value === undefined) return EMPTY_GUID;
    return typeof value === 'string' && GUID.test(value) ? value.toLowerCase() : fail('not a Guid');
  }
  if (shape === 'long') {
    if (value === undefined) return 0;
    return Number.isInteger(value) ? value : fail('not an integer');
  }
  if (shape === 'bool') {
    if (value === undefined) return false;
    return typeof value === 'boolean' ? value : fail('not a bool');
  }
  if (value === undefined || value === null) {
    if (typeof shape === 'object' && 'enum' in shape && !shape.nullable)
      return value === null ? fail('null for an enum') : shape.enum[0];
    return null;
  }
  if (shape === 'string') return typeof value === 'string' ? value : fail('not a string');
  if (shape === 'uri') return typeof value === 'string' ? value : fail('not a URI string');
  if (shape === 'dateTime?') {
    return typeof value === 'string' && !Number.isNaN(Date.parse(value)) ? value : fail('not a date');
  }
  if ('enum' in shape) {
    const hit = shape.enum.find((e) => typeof value === 'string' && e.toLowerCase() === value.toLowerCase());
    return hit ?? fail(`not one of ${shape.enum.join(', ')}`);
  }
  if ('list' in shape) {
    return Array.isArray(value) ? value.map((v, i) => read(shape.list, v, `${path}[${i}]`)) : fail('not an array');
  }
  if (typeof value !== 'object' || Array.isArray(value)) return fail('not an object');
  const byName = new Map(Object.entries(value).map(([k, v]) => [k.toLowerCase(), v]));
  return Object.fromEntries(
    Object.entries(shape.object).map(([k, s]) => [k, read(s, byName.get(k.toLowerCase()), `${path}.${k}`)]),
  );
}

const TASK_TYPE = { enum: ['SMS', 'EMAIL', 'URL'] } as const;
const TRIGGER = { enum: ['CREATED', 'COMPLETED', 'REJECTED', 'EXPIRED', 'FORWARDED', 'STARTED'] } as const;
const notification = {
  id: 'guid',
  recipient: 'string',
  sender: 'string',
  header: 'string',
  message: 'string',
  type: TASK_TYPE,
} as const;
const SIGNING_ORDER: Shape = {
  object: {
    id: 'string',
    artifact: 'string',
    clientReference: 'guid',
    daysUntilDeletion: 'long',
    notifications: { list: { object: notification } },
    packagingTasks: {
      list: {
        object: {
          id: 'guid',
          sendToArchive: 'bool',
          method: 'string',
          notifications: {
            list: {
              object: {
                ...notification,
                schedule: { list: { object: { triggerStatus: { enum: ['CREATED', 'COMPLETED'] } } } },
              },
            },
          },
          documents: { list: { object: { taskId: 'guid', documentIds: { list: 'string' } } } },
        },
      },
    },
    tasks: {
      list: {
        object: {
          id: 'guid',
          profile: 'string',
          language: 'string',
          daysToLive: 'long',
          configuration: 'string',
          documents: {
            list: {
              object: {
                id: 'guid',
                description: 'string',
                action: { enum: ['SIGN', 'VIEW', 'UPLOAD'] },
                source: { enum: ['SESSION', 'UPLOAD'] },
                documentRef: 'string',
                externalReference: 'guid',
                signTextEntry: 'string',
                sendResultToArchive: 'bool',
                form: {
                  object: {
                    interactive: 'bool',
                    inputParams: { list: { object: { name: 'string', value: 'string' } } },
                  },
                },
              },
            },
          },
          signatureMethods: {
            list: {
              object: {
                name: 'string',
                type: { enum: ['AUTHENTICATION_BASED', 'SIGNED_STATEMENT', 'THIRD_PARTY'], nullable: true },
                handwritten: 'bool',
              },
            },
          },
          authentication: { object: { methods: { list: 'string' }, artifact: 'bool' } },
          onTaskPostpone: 'string',
          onTaskComplete: 'string',
          onTaskReject: 'string',
          dialog: { object: { title: 'string', message: 'string' } },
          notifications: {
            list: {
              object: {
                ...notification,
                schedule: {
                  list: {
                    object: {
                      triggerStatus: TRIGGER,
                      delay: { object: { minutes: 'long', hours: 'long', days: 'long' } },
                    },
                  },
                },
              },
            },
          },
          signText: 'string',
          signingUrl: 'string',
          subject: {
            object: {
              id: 'string',
              attributes: { list: { object: { name: 'string', value: 'string', methods: { list: 'string' } } } },
            },
          },
          dependsOnTasks: { list: 'string' },
        },
      },
    },
  },
};

const TASK_STATUS_INFO: Shape = {
  object: {
    orderId: 'string',
    taskId: 'guid',
    taskStatus: { enum: ['CREATED', 'COMPLETED', 'REJECTED', 'EXPIRED', 'DELETED'] },
    clientReference: 'guid',
    clientStatus: 'guid',
    documents: {
      list: {
        object: {
          id: 'guid',
          originalUri: 'uri',
          generatedUri: 'uri',
          resultUri: 'uri',
          formOutputParam: { list: { object: { name: 'string', value: 'string' } } },
        },
      },
    },
  },
};

const EVENT_TYPES = [
  'TASK_CREATED',
  'NOTIFICATION_SENT',
  'TASK_STARTED',
  'TASK_REJECTED',
  'TASK_COMPLETED',
  'ERROR',
  'DOCUMENT_UPLOADED',
  'DOCUMENT_SIGNED',
  'DOCUMENT_VIEWED',
  'DOCUMENT_SIGN_CANCELLED',
  'DOCUMENT_DELETED',
  'USER_AUTHENTICATED',
  'USER_AUTHENTICATION_CANCELLED',
  'PACKAGING_TASK_CREATED',
  'PACKAGING_TASK_COMPLETED',
  'PACKAGING_TASK_FAILED',
  'INTERNAL',
] as const;
const EVENTS: Shape = {
  list: { object: { eventType: { enum: EVENT_TYPES }, eventTime: 'dateTime?', data: 'string' } },
};

const PACKAGING_STATUS: Shape = {
  object: {
    orderId: 'string',
    packagingTaskId: 'guid',
    packagingTaskStatus: 'string',
    packagingTaskResultUri: 'string',
  },
};

const UPLOAD_DOCUMENT: Shape = { object: { documentId: 'string' } };

export type Read = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The answers as the SDK's models read them (a throw is where the SDK would throw). */
export const readAs = {
  signingOrder: (json: unknown) => read(SIGNING_ORDER, json, '') as Read,
  taskStatusInfo: (json: unknown) => read(TASK_STATUS_INFO, json, '') as Read,
  events: (json: unknown) => read(EVENTS, json, '') as Read[],
  packagingTaskStatusInfo: (json: unknown) => read(PACKAGING_STATUS, json, '') as Read,
  uploadDocument: (json: unknown) => read(UPLOAD_DOCUMENT, json, '') as Read,
};
