import { expressPath, OPERATIONS, type Operation, type OperationId } from '@esign/contracts';
import type { RequestHandler, Router } from 'express';
import { HttpProblem } from './problem.js';

export type OperationHandlers = Partial<Record<OperationId, RequestHandler>>;

const notYetAvailable: RequestHandler = (_req, _res, next) => {
  next(new HttpProblem(501, 'Not Implemented', 'This operation is not yet available on this server.'));
};

/** Every operation of the contract with its availability on this server: implemented = has a handler. */
export function servedOperations(handlers: OperationHandlers): Operation[] {
  return OPERATIONS.map((op) => ({ ...op, available: op.operationId in handlers }));
}

/**
 * Mounts every operation of the contract from the one list the OpenAPI document is built from: implemented ones on
 * their handler, the rest answering 501. A route cannot exist without its spec entry, nor the reverse.
 */
export function addOperationRoutes(router: Router, handlers: OperationHandlers): void {
  for (const op of OPERATIONS) {
    router[op.method](expressPath(op.path), handlers[op.operationId as OperationId] ?? notYetAvailable);
  }
  // Any other method on a path of the contract: 405 with the methods it has (RFC 9110 §15.5.6); OPTIONS lists them.
  const methodsByPath = new Map<string, string[]>();
  for (const op of OPERATIONS) methodsByPath.set(op.path, [...(methodsByPath.get(op.path) ?? []), op.method]);
  for (const [path, methods] of methodsByPath) {
    const allow = methods.flatMap((m) => (m === 'get' ? ['GET', 'HEAD'] : [m.toUpperCase()])).join(', ');
    router.all(expressPath(path), (req, res, next) => {
      if (req.method === 'OPTIONS') return void res.set('Allow', allow).status(204).end();
      next(new HttpProblem(405, 'Method Not Allowed', `This path allows ${allow}.`, undefined, { Allow: allow }));
    });
  }
}
