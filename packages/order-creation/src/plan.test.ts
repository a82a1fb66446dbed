import { validateSigningOrder, type SigningOrder } from '@esign/contracts';
import { describe, expect, it } from 'vitest';
import { planSigningOrder } from './plan.js';

const SETTINGS = { urlRetryIntervalMs: 600_000, urlRetryWindowMs: 86_400_000 };

const METHODS = [{ name: 'nbid-sign' }];

function order(body: { tasks: Array<Record<string, unknown>> } & Record<string, unknown>): SigningOrder {
  const result = validateSigningOrder({ ...body, tasks: body.tasks.map((t) => ({ signatureMethods: METHODS, ...t })) });
  if (!result.ok) throw new Error(JSON.stringify(result.violations));
  return result.value;
}

const plan = (o: SigningOrder) =>
  planSigningOrder(o, {
    orderId: 'o1',
    merchantId: 'm1',
    createdAt: '2026-01-01T00:00:00.000Z',
    notify: SETTINGS,
    uploads: [],
  });

const mail = (id: string) => ({ id, type: 'EMAIL', recipient: 'a@example.test', message: 'Sign' });

describe('e-mail templates in the plan', () => {
  it("gives each e-mail the params with its id, else the default entry, and its task's language", () => {
    const planned = plan(
      order({
        tasks: [
          {
            id: 't1',
            language: 'sv',
            documents: [{ id: 'd1', action: 'UPLOAD', source: 'UPLOAD' }],
            notifications: [
              mail('branded'),
              mail('plain'),
              { id: 'sms', type: 'SMS', recipient: '+4791234567', message: 'Sign' },
            ],
          },
        ],
        notifications: [mail('done')],
        notificationTemplateParams: [
          { id: 'branded', button: 'Skriv under', logoUrl: 'https://cdn.example.test/a.png' },
          { footer: 'ACME' },
        ],
      }),
    );
    const [branded, plain, sms] = planned.tasks[0]!.notifications!;
    expect(branded!.template).toEqual({
      language: 'sv',
      button: 'Skriv under',
      logoUrl: 'https://cdn.example.test/a.png',
    });
    expect(plain!.template).toEqual({ language: 'sv', footer: 'ACME' });
    expect(sms!.template).toBeUndefined();
    // order notifications: the first task's language, the default entry
    expect(planned.notifications![0]!.template).toEqual({ language: 'sv', footer: 'ACME' });
  });

  it('plans a template with only the language when the order has no params', () => {
    const planned = plan(
      order({
        tasks: [
          { id: 't1', documents: [{ id: 'd1', action: 'UPLOAD', source: 'UPLOAD' }], notifications: [mail('m')] },
        ],
      }),
    );
    expect(planned.tasks[0]!.notifications![0]!.template).toEqual({ language: 'en' });
  });
});
