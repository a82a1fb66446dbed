import { z } from 'zod';
import { Document } from './document.js';
import { DEFAULT_LANGUAGE, Language, SignatureMethodType } from './enums.js';
import { LIMITS } from './limits.js';
import { TaskNotification } from './notification.js';
import { clientId, intRange, line, list, name, redirectUrl, text } from './primitives.js';
import { described, model } from './registry.js';

export const SignatureMethod = model(
  z.strictObject({
    name: described(name(), 'Identity method the signer signs with, e.g. `nbid-sign`, `mitid`, `ftn-sign`.').optional(),
    type: SignatureMethodType.optional(),
    handwritten: described(z.boolean(), 'The signer also draws a signature stamped on the document.').default(false),
  }),
  'SignatureMethod',
  'A way to sign. Every task needs at least one identity method: a `name` here or an `authentication.methods` entry.',
);

export const Authentication = model(
  z.strictObject({
    methods: described(list(name(), LIMITS.authenticationMethods), 'Identity methods, e.g. `nbid`.').optional(),
    artifact: described(z.boolean(), 'Issue a single-sign-on artifact (order field `artifact`).').optional(),
  }),
  'Authentication',
  'Authentication the signer completes before signing.',
);

export const SubjectAttribute = model(
  z.strictObject({
    name: described(name(), 'Attribute name, e.g. `national-id`.'),
    value: described(line(LIMITS.description), 'Value the identity method must return for the signer.'),
    methods: described(list(name(), LIMITS.attributeMethods), 'Identity methods that must produce it.').optional(),
  }),
  'SubjectAttribute',
  'An identity attribute the signer must have.',
);

// Some clients send further Subject fields (nationalId, mobile, email, …): like every unknown field they are
// accepted, ignored and reported back (validateSigningOrder).
export const Subject = model(
  z.strictObject({
    id: described(line(LIMITS.shortText), 'Client-chosen subject id.').optional(),
    attributes: list(SubjectAttribute, LIMITS.subjectAttributes).optional(),
  }),
  'Subject',
  'The expected signer.',
);

export const Dialog = model(
  z.strictObject({ title: line(LIMITS.header).optional(), message: text(LIMITS.longText).optional() }),
  'Dialog',
  'Text shown to the signer before completing the task.',
);

const DAYS_TO_LIVE = LIMITS.daysToLive;

export const Task = model(
  z.strictObject({
    id: described(clientId(), 'Client-chosen id, unique within the order; `{taskId}` in the task paths.'),
    profile: described(name(), 'Name of a signing-interface configuration of the server.').optional(),
    language: Language.default(DEFAULT_LANGUAGE),
    daysToLive: described(
      intRange(DAYS_TO_LIVE.min, DAYS_TO_LIVE.max),
      'Days after the order was created until the task expires.',
    ).default(DAYS_TO_LIVE.default),
    configuration: described(name(), 'Name of a signing-interface configuration of the server.').optional(),
    documents: list(Document, LIMITS.documentsPerTask, 1),
    signatureMethods: list(SignatureMethod, LIMITS.signatureMethods, 1),
    authentication: Authentication.optional(),
    onTaskComplete: redirectUrl('Where the browser goes after the signer completed the task.').optional(),
    onTaskReject: redirectUrl('Where the browser goes after the signer rejected the task.').optional(),
    onTaskPostpone: redirectUrl('Where the browser goes when the signer postpones the task.').optional(),
    dialog: Dialog.optional(),
    notifications: list(TaskNotification, LIMITS.notificationsPerList).optional(),
    signText: described(text(LIMITS.longText), 'Text the signer signs.').optional(),
    subject: Subject.optional(),
    dependsOnTasks: described(
      list(clientId(), LIMITS.dependsOnTasks),
      'Ids of tasks of this order that must be COMPLETED before this task opens; no cycles.',
    ).optional(),
  }),
  'Task',
  'One signer’s task.',
);

export type SignatureMethod = z.infer<typeof SignatureMethod>;
export type Task = z.infer<typeof Task>;
