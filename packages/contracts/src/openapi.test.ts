import { createConfig, lintFromString } from '@redocly/openapi-core';
import { describe, expect, it } from 'vitest';
import { LANGUAGES } from './enums.js';
import { buildOpenApiDocument, type OpenApiDocument } from './openapi.js';
import { expressPath, OPERATIONS, pathParameters, type Operation } from './operations.js';

const OPTIONS = {
  serverUrl: 'https://sign.example.test/',
  basePath: '/enterprise/sign',
  tokenUrl: 'https://sign.example.test/auth/open/connect/token',
};
const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'];

type Json = Record<string, unknown>;
const at = (value: unknown, ...keys: string[]): unknown =>
  keys.reduce<unknown>((node, key) => (node as Json | undefined)?.[key], value);

// Redocly's strictest built-in ruleset, with the examples validated against their schemas. The project has not
// chosen a licence yet, so the document cannot name one.
async function lint(doc: OpenApiDocument) {
  const config = await createConfig({
    extends: ['recommended-strict'],
    rules: { 'info-license': 'off', 'no-invalid-media-type-examples': 'error' },
  });
  return lintFromString({ source: JSON.stringify(doc), absoluteRef: '/openapi.json', config });
}

describe('buildOpenApiDocument', () => {
  it('is a valid OpenAPI 3.1 document', async () => {
    const doc = buildOpenApiDocument(OPTIONS);
    expect(doc.openapi).toMatch(/^3\.1\./);
    const problems = await lint(doc);
    expect(problems.map((p) => `${p.ruleId}: ${p.message} at ${p.location[0]?.pointer}`)).toEqual([]);
  });

  it('is checked by a validator that does catch mistakes', async () => {
    const doc = buildOpenApiDocument(OPTIONS);
    delete (doc.components as Json).responses;
    const example = at(doc.paths['/orders']!.post, 'requestBody', 'content', 'application/json', 'examples', 'order');
    ((example as Json).value as Json).daysUntilDeletion = 31;
    const rules = (await lint(doc)).map((p) => p.ruleId);
    expect(rules).toEqual(expect.arrayContaining(['no-unresolved-refs', 'no-invalid-media-type-examples']));
  });

  it('describes exactly the operations of OPERATIONS', () => {
    const doc = buildOpenApiDocument(OPTIONS);
    const inDoc = Object.entries(doc.paths).flatMap(([path, item]) =>
      Object.keys(item)
        .filter((key) => METHODS.includes(key))
        .map((method) => `${method} ${path} ${String(item[method]?.operationId)}`),
    );
    const listed = OPERATIONS.map((op) => `${op.method} ${op.path} ${op.operationId}`);
    expect(inDoc.sort()).toEqual([...listed].sort());
    expect(new Set(OPERATIONS.map((op) => op.operationId)).size).toBe(OPERATIONS.length);
  });

  it('gives express routes and path parameters for the gateway', () => {
    const path = '/orders/{orderId}/packaging-tasks/{packagingTaskId}/result';
    expect(expressPath(path)).toBe('/orders/:orderId/packaging-tasks/:packagingTaskId/result');
    expect(pathParameters(path)).toEqual(['orderId', 'packagingTaskId']);
  });

  it('marks availability from the operations list and says so in the description', () => {
    const [first, second, ...rest] = OPERATIONS;
    const operations: Operation[] = [{ ...first, available: true }, { ...second!, available: false }, ...rest];
    const doc = buildOpenApiDocument({ ...OPTIONS, operations });
    const available = doc.paths[first.path]![first.method]!;
    expect(available['x-esign-available']).toBe(true);
    expect(available.description).not.toMatch(/Not yet available/);
    const other = doc.paths[second!.path]![second!.method]!;
    expect(other['x-esign-available']).toBe(false);
    expect(other.description).toMatch(/^Not yet available on this server\./);
  });

  it('documents server, OAuth2 client credentials and scope', () => {
    const doc = buildOpenApiDocument(OPTIONS);
    expect(doc.servers).toEqual([{ url: 'https://sign.example.test/enterprise/sign' }]);
    expect(at(doc, 'components', 'securitySchemes', 'signrestOauth2Security', 'flows', 'clientCredentials')).toEqual({
      tokenUrl: OPTIONS.tokenUrl,
      scopes: { 'signicat-api': expect.any(String) },
    });
    expect(doc.security).toEqual([{ signrestOauth2Security: ['signicat-api'] }]);
  });

  it('documents uploads, Idempotency-Key and problem responses where they apply', () => {
    const doc = buildOpenApiDocument(OPTIONS);
    const upload = doc.paths['/documents']!.post!;
    expect(Object.keys(at(upload, 'requestBody', 'content') as Json)).toEqual(['application/pdf', 'text/plain']);
    expect(Object.keys(upload.responses as Json)).toEqual(['201', '400', '401', '403', '413', '415', '429', '503']);
    const create = doc.paths['/orders']!.post!;
    expect(create.parameters).toContainEqual({ $ref: '#/components/parameters/IdempotencyKey' });
    expect(Object.keys(create.responses as Json)).toEqual([
      '201',
      '400',
      '401',
      '403',
      '409',
      '413',
      '415',
      '429',
      '503',
    ]);
    const result = doc.paths['/orders/{orderId}/tasks/{taskId}/documents/{documentId}/result']!.get!;
    expect(Object.keys(result.responses as Json)).toContain('409');
    expect(at(doc, 'components', 'responses', 'TooManyRequests', 'headers')).toHaveProperty('Retry-After');
    expect(at(doc, 'components', 'responses', 'Unauthorized', 'headers')).toHaveProperty('WWW-Authenticate');
    expect(at(doc, 'components', 'schemas', 'Problem', 'properties', 'violations', 'items')).toEqual({
      $ref: '#/components/schemas/Violation',
    });
  });

  it('generates the component schemas from the zod models', () => {
    const schemas = at(buildOpenApiDocument(OPTIONS), 'components', 'schemas') as Json;
    expect(at(schemas, 'Language', 'enum')).toEqual([...LANGUAGES]);
    expect(at(schemas, 'Task', 'properties', 'language')).toEqual({
      $ref: '#/components/schemas/Language',
      default: 'en',
    });
    expect(at(schemas, 'SigningOrder', 'properties', 'tasks', 'maxItems')).toBe(100);
    // Unknown fields are accepted and reported back (X-Sign-Ignored-Fields), so no schema closes its objects.
    expect(JSON.stringify(schemas)).not.toContain('"additionalProperties":false');
    expect(at(schemas, 'TaskStatusDocument', 'properties')).toHaveProperty('archiveId');
    expect(at(schemas, 'SigningOrderTask', 'required')).toEqual(expect.arrayContaining(['signingUrl', 'status']));
    expect(JSON.stringify(schemas)).not.toMatch(/"\$schema"|"\$id"/);
  });
});
