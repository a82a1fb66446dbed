import { components, problemResponseRef, SCOPE, SECURITY_SCHEME, type JsonObject } from './openapi-components.js';
import { OPERATION_SPECS, TAGS } from './openapi-operations.js';
import { OPERATIONS, pathParameters, type Operation, type OperationId } from './operations.js';

export interface OpenApiOptions {
  /** Public origin, e.g. `https://sign.example.test`. */
  serverUrl: string;
  /** API base path, e.g. `/enterprise/sign`. */
  basePath: string;
  /** Absolute URL of the token endpoint. */
  tokenUrl: string;
  /** The operations to describe and their availability; OPERATIONS unless a test passes others. */
  operations?: readonly Operation[];
}

export type OpenApiDocument = JsonObject & { openapi: string; paths: Record<string, Record<string, JsonObject>> };

const NOT_AVAILABLE = 'Not yet available on this server.';
const ALWAYS: (401 | 403 | 429 | 503)[] = [401, 403, 429, 503];

function operationObject(operation: Operation): JsonObject {
  const spec = OPERATION_SPECS[operation.operationId as OperationId];
  if (!spec) throw new Error(`no OpenAPI description for operation ${operation.operationId}`);
  const statuses = [...new Set([...spec.errors, ...ALWAYS])].sort((a, b) => a - b);
  const parameters = [
    ...pathParameters(operation.path).map((name) => ({ $ref: `#/components/parameters/${name}` })),
    ...(spec.parameters ?? []).map((name) => ({ $ref: `#/components/parameters/${name}` })),
    { $ref: '#/components/parameters/OrganizationId' },
    { $ref: '#/components/parameters/AccountId' },
  ];
  const success = spec.success.content
    ? { description: spec.success.description, content: spec.success.content }
    : { description: spec.success.description };
  return {
    operationId: operation.operationId,
    tags: [spec.tag],
    summary: spec.summary,
    description: operation.available ? spec.description : `${NOT_AVAILABLE} ${spec.description}`,
    parameters,
    ...(spec.requestBody ? { requestBody: spec.requestBody } : {}),
    responses: {
      [String(spec.success.status)]: success,
      ...Object.fromEntries(statuses.map((status) => [String(status), problemResponseRef(status)])),
    },
    'x-esign-available': operation.available,
  };
}

const joinUrl = (origin: string, path: string) => `${origin.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;

/** The OpenAPI 3.1 document of the whole public API, its schemas generated from the zod models. */
export function buildOpenApiDocument(options: OpenApiOptions): OpenApiDocument {
  const paths: OpenApiDocument['paths'] = {};
  for (const operation of options.operations ?? OPERATIONS) {
    paths[operation.path] = { ...paths[operation.path], [operation.method]: operationObject(operation) };
  }
  // Cloned so that callers may change the document without touching shared constants (the request example).
  return structuredClone({
    openapi: '3.1.0',
    info: {
      title: 'Sign API',
      version: '1.0.0',
      description:
        'A self-hostable implementation of the Sign API v1: existing clients work by changing only the base URL ' +
        'and the token endpoint. Errors are `application/problem+json`.',
    },
    servers: [{ url: joinUrl(options.serverUrl, options.basePath) }],
    security: [{ [SECURITY_SCHEME]: [SCOPE] }],
    tags: TAGS,
    paths,
    components: components(options.tokenUrl),
  });
}
