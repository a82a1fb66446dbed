// Shared by the tests: a complete valid order in the style of the public examples, and helpers to break it.
import { EXAMPLE_SIGNING_ORDER } from './example-order.js';
import { validateSigningOrder } from './validate-order.js';
import type { Violation } from './violations.js';

export type Body = Record<string, unknown>;

/** Two signers (the second after the first), every notification type, packaging and template params. */
export function fullOrder(): Body {
  const order = structuredClone(EXAMPLE_SIGNING_ORDER) as unknown as Body;
  const first = (order.tasks as Body[])[0]!;
  const second = {
    ...structuredClone(first),
    id: 'task2',
    language: 'nb',
    dependsOnTasks: ['task1'],
    subject: { id: 's2', attributes: [{ name: 'national-id', value: '02027012345', methods: ['nbid'] }] },
    notifications: [
      {
        id: 'n1',
        type: 'SMS',
        recipient: '+4791234567',
        sender: 'Acme',
        message: 'Please sign: ${taskUrl}',
        schedule: [{ triggerStatus: 'CREATED' }, { triggerStatus: 'CREATED', delay: { days: 3 } }],
      },
    ],
  };
  order.tasks = [first, second];
  order.notifications = [
    { id: 'done1', type: 'EMAIL', recipient: 'merchant@example.test', message: 'Order ${orderId} is signed.' },
  ];
  (order.packagingTasks as Body[])[0]!.documents = [
    { taskId: 'task1', documentIds: ['doc1'] },
    { taskId: 'task2', documentIds: ['doc1'] },
  ];
  order.notificationTemplateParams = [{ id: 't1', footer: 'Acme AS', logoUrl: 'https://example.test/logo.png' }];
  return order;
}

/** Sets (or with `undefined` deletes) the value at a dotted path such as `tasks.0.documents.0.id`. */
export function set(body: Body, path: string, value: unknown): Body {
  const keys = path.split('.');
  const last = keys.pop()!;
  let node: Record<string, unknown> = body;
  for (const key of keys) node = node[key] as Record<string, unknown>;
  if (value === undefined) delete node[last];
  else node[last] = value;
  return body;
}

export function violationsOf(body: unknown): Violation[] {
  const result = validateSigningOrder(body);
  return result.ok ? [] : result.violations;
}

export const pathsOf = (body: unknown): string[] => violationsOf(body).map((v) => v.propertyPath);

export const messageAt = (body: unknown, propertyPath: string): string | undefined =>
  violationsOf(body).find((v) => v.propertyPath === propertyPath)?.message;
