import type { SigningOrder } from './order.js';
import { formatPropertyPath } from './violations.js';

// Rules that need I/O are the gateway's: it checks each place listed here and answers 400 with the same
// propertyPath. Run on an order that validateSigningOrder accepted.

export interface DocumentRefPlace {
  propertyPath: string;
  documentRef: string;
}

export interface NamePlace {
  propertyPath: string;
  name: string;
}

export interface UrlPlace {
  propertyPath: string;
  url: string;
  /** notification: fetched by the server (SSRF rules apply); redirect: followed by the signer's browser; logo:
   * shown in e-mails. */
  kind: 'notification' | 'redirect' | 'logo';
}

export interface IoCheckPlaces {
  /** Must each name a live upload of the same merchant (contract §3, §4). */
  documentRefs: DocumentRefPlace[];
  /** `configuration` and `profile`: must each name a signing-interface configuration (contract §6). */
  configurations: NamePlace[];
  /** Identity method names (signature methods, authentication, subject attributes): must be configured (§7). */
  identityMethods: NamePlace[];
  /** `THIRD_PARTY` signature methods: refused unless a provider is configured (§7). */
  thirdPartySignatureMethods: { propertyPath: string }[];
  urls: UrlPlace[];
}

const at = (...path: (string | number)[]): string => formatPropertyPath(path);

export function documentRefPlaces(order: SigningOrder): DocumentRefPlace[] {
  return order.tasks.flatMap((task, t) =>
    task.documents.flatMap((document, d) =>
      document.documentRef === undefined
        ? []
        : [{ propertyPath: at('tasks', t, 'documents', d, 'documentRef'), documentRef: document.documentRef }],
    ),
  );
}

type Segment = string | number;

/** Collects the places of one order; each method takes the value and the path segments where it was found. */
class Collector {
  readonly places: IoCheckPlaces;

  constructor(order: SigningOrder) {
    this.places = {
      documentRefs: documentRefPlaces(order),
      configurations: [],
      identityMethods: [],
      thirdPartySignatureMethods: [],
      urls: [],
    };
  }

  configuration(name: string | undefined, ...path: Segment[]): void {
    if (name !== undefined) this.places.configurations.push({ propertyPath: at(...path), name });
  }

  method(name: string | undefined, ...path: Segment[]): void {
    if (name !== undefined) this.places.identityMethods.push({ propertyPath: at(...path), name });
  }

  url(kind: UrlPlace['kind'], url: string | undefined, ...path: Segment[]): void {
    if (url !== undefined) this.places.urls.push({ propertyPath: at(...path), url, kind });
  }

  notifications(list: { type: string; recipient: string }[] | undefined, ...base: Segment[]): void {
    list?.forEach((n, i) =>
      this.url('notification', n.type === 'URL' ? n.recipient : undefined, ...base, i, 'recipient'),
    );
  }
}

export function ioCheckPlaces(order: SigningOrder): IoCheckPlaces {
  const c = new Collector(order);
  order.tasks.forEach((task, t) => {
    c.configuration(task.configuration, 'tasks', t, 'configuration');
    c.configuration(task.profile, 'tasks', t, 'profile');
    task.signatureMethods.forEach((method, i) => {
      c.method(method.name, 'tasks', t, 'signatureMethods', i, 'name');
      if (method.type === 'THIRD_PARTY') {
        c.places.thirdPartySignatureMethods.push({ propertyPath: at('tasks', t, 'signatureMethods', i, 'type') });
      }
    });
    task.authentication?.methods?.forEach((name, i) => c.method(name, 'tasks', t, 'authentication', 'methods', i));
    task.subject?.attributes?.forEach((attribute, a) => {
      attribute.methods?.forEach((name, i) => c.method(name, 'tasks', t, 'subject', 'attributes', a, 'methods', i));
    });
    c.url('redirect', task.onTaskComplete, 'tasks', t, 'onTaskComplete');
    c.url('redirect', task.onTaskReject, 'tasks', t, 'onTaskReject');
    c.url('redirect', task.onTaskPostpone, 'tasks', t, 'onTaskPostpone');
    c.notifications(task.notifications, 'tasks', t, 'notifications');
  });
  c.notifications(order.notifications, 'notifications');
  order.packagingTasks?.forEach((pkg, p) => c.notifications(pkg.notifications, 'packagingTasks', p, 'notifications'));
  order.notificationTemplateParams?.forEach((params, i) => {
    c.url('logo', params.logoUrl, 'notificationTemplateParams', i, 'logoUrl');
  });
  return c.places;
}
