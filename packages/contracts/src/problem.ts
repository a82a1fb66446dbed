import { z } from 'zod';
import { described, model } from './registry.js';

export const Violation = model(
  z.object({
    propertyPath: described(z.string(), 'Path of the offending field, e.g. `tasks[0].documents[1].documentRef`.'),
    message: z.string(),
  }),
  'Violation',
  'One problem with one field of the request.',
);

export const Problem = model(
  z.object({
    type: z.string(),
    title: z.string(),
    status: z.int().min(400).max(599),
    detail: z.string().optional(),
    violations: described(z.array(Violation), 'Every problem with the request (on 400).').optional(),
    traceId: described(z.string(), 'Quote it when asking for support.').optional(),
  }),
  'Problem',
  'An error (RFC 9457 problem details, `application/problem+json`).',
);

export type Violation = z.infer<typeof Violation>;
export type Problem = z.infer<typeof Problem>;
