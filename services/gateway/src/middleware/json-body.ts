import { isUtf8 } from 'node:buffer';
import express, { type RequestHandler } from 'express';
import { badRequest, HttpProblem } from '../problem.js';

/**
 * JSON request bodies, parsed strictly: objects and arrays only, at most `limit`, and UTF-8 only (RFC 8259 §8.1). A
 * body in another charset is a 415, and one whose bytes are not valid UTF-8 a 400, rather than decoded with
 * replacement characters that would silently change the client's data.
 */
export function jsonBody(limit: string): RequestHandler {
  const parse = express.json({
    limit,
    strict: true,
    type: ['application/json', 'application/*+json'],
    verify: (_req, _res, body, encoding) => {
      if (encoding !== 'utf-8') {
        throw new HttpProblem(415, 'Unsupported Media Type', 'Only UTF-8 JSON bodies are accepted.');
      }
      if (!isUtf8(body)) {
        throw badRequest('The body is not valid UTF-8.', [{ propertyPath: 'body', message: 'not valid UTF-8' }]);
      }
    },
  });
  // A request without a body (no Content-Length, no Transfer-Encoding: RFC 9112 §6.3) skips the parser, which would
  // only find that out itself — and give the request a `body` property, a shape change on every read.
  return (req, res, next) => {
    if (req.headers['content-length'] === undefined && req.headers['transfer-encoding'] === undefined) return next();
    parse(req, res, next);
  };
}
