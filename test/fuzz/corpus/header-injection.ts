// Header injection through notification fields and request headers.
import { email, postOrder, sms, urlTo, validOrder, withNotifications } from './requests.js';
import type { CorpusCase } from './types.js';

export const headerInjectionCases: CorpusCase[] = [
  {
    name: 'CR LF and a Bcc header in an e-mail subject',
    group: 'header-injection',
    request: withNotifications(email({ header: 'Please sign\r\nBcc: victim@example.test' })),
    status: 400,
    violationAt: 'tasks[0].notifications[0].header',
  },
  {
    name: 'a bare LF in an e-mail subject',
    group: 'header-injection',
    request: withNotifications(email({ header: 'Please sign\nX-Injected: 1' })),
    status: 400,
    violationAt: 'tasks[0].notifications[0].header',
  },
  {
    name: 'a bare CR in an e-mail subject',
    group: 'header-injection',
    request: withNotifications(email({ header: 'Please sign\rX-Injected: 1' })),
    status: 400,
    violationAt: 'tasks[0].notifications[0].header',
  },
  {
    name: 'CR LF and a Bcc header after the e-mail recipient',
    group: 'header-injection',
    request: withNotifications(email({ recipient: 'signer@example.test\r\nBcc: victim@example.test' })),
    status: 400,
    violationAt: 'tasks[0].notifications[0].recipient',
  },
  {
    name: 'a second address in the e-mail recipient',
    group: 'header-injection',
    request: withNotifications(email({ recipient: 'signer@example.test, victim@example.test' })),
    status: 400,
    violationAt: 'tasks[0].notifications[0].recipient',
  },
  {
    name: 'CR LF in the e-mail sender display name',
    group: 'header-injection',
    request: withNotifications(email({ sender: 'Acme\r\nBcc: victim@example.test <noreply@example.test>' })),
    status: 400,
    violationAt: 'tasks[0].notifications[0].sender',
  },
  {
    name: 'CR LF in an SMS recipient',
    group: 'header-injection',
    request: withNotifications(sms({ recipient: '+4791234567\r\nTo: +4790000000' })),
    status: 400,
    violationAt: 'tasks[0].notifications[0].recipient',
  },
  {
    name: 'CR LF in an SMS sender',
    group: 'header-injection',
    request: withNotifications(sms({ sender: 'Acme\r\nX' })),
    status: 400,
    violationAt: 'tasks[0].notifications[0].sender',
  },
  {
    name: 'CR LF and a header in a URL notification target',
    group: 'header-injection',
    request: withNotifications(urlTo('http://127.0.0.1:9/hook\r\nX-Injected: 1')),
    status: 400,
    violationAt: 'tasks[0].notifications[0].recipient',
  },
  {
    name: 'a non-ASCII Idempotency-Key',
    group: 'header-injection',
    request: postOrder((ctx) => JSON.stringify(validOrder(ctx)), { 'idempotency-key': 'key-\u00e9' }),
    status: 400,
    violationAt: 'Idempotency-Key',
  },
];
