import { z } from 'zod';
import { DocumentAction, DocumentSource } from './enums.js';
import { LIMITS } from './limits.js';
import { clientId, line, list, platformId, text } from './primitives.js';
import { described, model } from './registry.js';

export const InputParam = model(
  z.strictObject({
    name: line(LIMITS.shortText).min(1, { error: 'must not be empty' }),
    value: text(LIMITS.longText).optional(),
  }),
  'InputParam',
  'A named value of a PDF form field.',
);

export const Form = model(
  z.strictObject({
    interactive: z.boolean().optional(),
    inputParams: list(InputParam, LIMITS.inputParams).optional(),
  }),
  'Form',
  'PDF form handling; filled values come back as `formOutputParam` in the task status.',
);

export const Document = model(
  z.strictObject({
    id: described(clientId(), 'Client-chosen id, unique within the task; `{documentId}` in the task document paths.'),
    description: described(text(LIMITS.description), 'Title shown to the signer.').optional(),
    action: DocumentAction,
    source: DocumentSource,
    documentRef: described(
      platformId(),
      '`documentId` of an upload (`POST /documents`) of the same merchant; required when `source` is SESSION.',
    ).optional(),
    externalReference: described(line(LIMITS.shortText), 'Client reference, returned as given.').optional(),
    signTextEntry: described(text(LIMITS.longText), 'Entry for this document in the text the signer signs.').optional(),
    sendResultToArchive: described(z.boolean(), 'Copy the signed result into the archive.').default(false),
    form: Form.optional(),
  }),
  'Document',
  'A document of a task: what the signer signs, views or uploads.',
);

export type Document = z.infer<typeof Document>;
