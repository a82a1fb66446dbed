import { z } from 'zod';
import { LIMITS } from './limits.js';
import { MODELS } from './models.js';
import { apiRegistry } from './registry.js';

// The reusable parts of the OpenAPI document: model schemas generated from the zod schemas, problem responses,
// parameters and the security scheme.

export type JsonObject = Record<string, unknown>;

export const SECURITY_SCHEME = 'signrestOauth2Security';
export const SCOPE = 'signicat-api';
export const schemaRef = (id: string) => ({ $ref: `#/components/schemas/${id}` });

/**
 * The schema without `additionalProperties: false`: the server accepts unknown fields (reporting them in
 * `X-Sign-Ignored-Fields`), so a client validating against the document must not refuse them either.
 */
function open(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(open);
  if (schema === null || typeof schema !== 'object') return schema;
  return Object.fromEntries(
    Object.entries(schema)
      .filter(([k, v]) => !(k === 'additionalProperties' && v === false))
      .map(([k, v]) => [k, open(v)]),
  );
}

/** Every registered model as a JSON Schema 2020-12 object (the dialect of OpenAPI 3.1), referencing each other. */
export function componentSchemas(): Record<string, JsonObject> {
  const { schemas } = z.toJSONSchema(apiRegistry, {
    target: 'draft-2020-12',
    io: 'input',
    metadata: apiRegistry,
    uri: (id) => schemaRef(id).$ref,
  });
  const out: Record<string, JsonObject> = {};
  for (const [id, schema] of Object.entries(schemas)) {
    const { $schema: _dialect, $id: _id, ...rest } = schema as JsonObject;
    out[id] = open(rest) as JsonObject;
  }
  for (const [id, schema] of Object.entries(MODELS)) {
    if (apiRegistry.get(schema)?.id !== id) throw new Error(`model ${id} is registered under another name`);
  }
  return out;
}

const MAX = LIMITS.maxViolations;

const PROBLEM_RESPONSES = {
  400: ['BadRequest', `The request is invalid; \`violations\` lists every problem (one per field, at most ${MAX}).`],
  401: ['Unauthorized', 'The access token is missing or invalid.'],
  403: ['Forbidden', 'The access token lacks the scope `signicat-api`.'],
  404: ['NotFound', 'No such resource for this merchant (another merchant’s resource answers the same).'],
  409: [
    'Conflict',
    'The resource is not in a state that allows this, or the Idempotency-Key was used with another body.',
  ],
  413: ['PayloadTooLarge', 'The body is larger than the configured limit.'],
  415: ['UnsupportedMediaType', 'The Content-Type is not accepted here.'],
  429: ['TooManyRequests', 'Rate limited; retry after the time in `Retry-After`.'],
  503: ['ServiceUnavailable', 'A dependency is down; retry after the time in `Retry-After`.'],
} as const;

export type ProblemStatus = keyof typeof PROBLEM_RESPONSES;

export const problemResponseRef = (status: ProblemStatus) => ({
  $ref: `#/components/responses/${PROBLEM_RESPONSES[status][0]}`,
});

function problemResponses(): Record<string, JsonObject> {
  const retryAfter = { 'Retry-After': { $ref: '#/components/headers/RetryAfter' } };
  const headers: Partial<Record<ProblemStatus, JsonObject>> = {
    401: { 'WWW-Authenticate': { $ref: '#/components/headers/WwwAuthenticate' } },
    429: retryAfter,
    503: retryAfter,
  };
  const out: Record<string, JsonObject> = {};
  for (const [status, [name, description]] of Object.entries(PROBLEM_RESPONSES)) {
    const extra = headers[Number(status) as ProblemStatus];
    out[name] = {
      description,
      ...(extra ? { headers: extra } : {}),
      content: { 'application/problem+json': { schema: schemaRef('Problem') } },
    };
  }
  return out;
}

const idParameter = (name: string, description: string) => ({
  name,
  in: 'path',
  required: true,
  description,
  schema: { type: 'string', minLength: 1, maxLength: 255 },
});

export const PATH_PARAMETERS: Record<string, JsonObject> = {
  documentId: idParameter('documentId', 'An uploaded document id, or the client-chosen id of a task document.'),
  orderId: idParameter('orderId', 'The signing order id returned by `POST /orders`.'),
  taskId: idParameter('taskId', 'The client-chosen task id.'),
  packagingTaskId: idParameter('packagingTaskId', 'The client-chosen packaging task id.'),
  archiveId: idParameter('archiveId', 'An archive id from a task or packaging task status.'),
};

export function components(tokenUrl: string): JsonObject {
  return {
    schemas: componentSchemas(),
    responses: problemResponses(),
    parameters: {
      ...PATH_PARAMETERS,
      IdempotencyKey: {
        name: 'Idempotency-Key',
        in: 'header',
        required: false,
        description:
          'Extension. The same key with the same body within 24 hours returns the same order (no second order, ' +
          'no second notification); the same key with another body answers 409.',
        schema: { type: 'string', minLength: 1, maxLength: 255 },
      },
      EventTypes: {
        name: 'eventTypes',
        in: 'query',
        required: false,
        description:
          'Extension. `extended`: expiry, deletion and forwarding as `TASK_EXPIRED`, `TASK_DELETED` and ' +
          '`TASK_FORWARDED`. Otherwise (what v1 ' +
          'clients parse) they are `INTERNAL` with the type as `data`.',
        schema: { type: 'string', enum: ['v1', 'extended'] },
      },
      OrganizationId: {
        name: 'Signicat-OrganizationId',
        in: 'header',
        required: false,
        description: 'Sent by some Signicat SDKs; accepted and ignored.',
        schema: { type: 'string' },
      },
      AccountId: {
        name: 'signicat-accountId',
        in: 'query',
        required: false,
        description: 'Sent by some Signicat SDKs; accepted and ignored.',
        schema: { type: 'string' },
      },
    },
    headers: {
      RetryAfter: { description: 'Seconds to wait before retrying.', schema: { type: 'integer', minimum: 0 } },
      WwwAuthenticate: { description: 'The `Bearer` challenge.', schema: { type: 'string' } },
    },
    securitySchemes: {
      [SECURITY_SCHEME]: {
        type: 'oauth2',
        description: 'OAuth 2.0 client credentials; client authentication by HTTP Basic or form fields.',
        flows: { clientCredentials: { tokenUrl, scopes: { [SCOPE]: 'Use the Sign API.' } } },
      },
    },
  };
}
