import type { Config } from '@esign/config';
import type { Logger } from '@esign/observability';
import { decodeForOperators } from '@esign/payload-codec';
import { payloadEncryption } from '@esign/service-runtime';
import express, { type RequestHandler, type Router } from 'express';
import type { Redis } from 'ioredis';
import { HttpProblem } from '../problem.js';
import { loginRoutes } from './login.js';
import { operatorCheck, operatorOf, requireOperator } from './operator-auth.js';
import { payloadsFromJson, payloadsToJson } from './payload-json.js';

/** CORS for the Temporal UI's origins: credentials allowed (the login cookie), preflights answered here. */
function cors(origins: string[]): RequestHandler {
  return (req, res, next) => {
    const origin = req.headers.origin;
    res.vary('Origin');
    if (origin && origins.includes(origin)) {
      res.set({ 'Access-Control-Allow-Origin': origin, 'Access-Control-Allow-Credentials': 'true' });
    }
    if (req.method !== 'OPTIONS') return next();
    res.set({
      'Access-Control-Allow-Methods': 'POST',
      'Access-Control-Allow-Headers': 'Authorization, Content-Type, X-Namespace',
      'Access-Control-Max-Age': '600',
    });
    res.status(204).end();
  };
}

/**
 * The operators' codec server (Temporal's remote codec protocol), on the gateway's operator port: `POST
 * /codec/decode` turns the encrypted payloads the Temporal UI or `temporal workflow show --codec-endpoint` sends into
 * readable ones, for operators only (an operator token: `Authorization: Bearer`, or the cookie of `/codec/login`).
 * A deleted order's payloads decode to a "deleted" marker. No `/encode`: operators read, they never write.
 */
export function codecRoutes(deps: { config: Config; redis: Redis; logger: Logger }): Router {
  const { config, redis, logger } = deps;
  // Strict: an order's payloads read as deleted from the moment it is deleted, before its key is destroyed.
  const { codec } = payloadEncryption(config, redis, { strict: true });
  const check = operatorCheck(config);
  const router = express.Router();
  router.use(cors(config.codecServer.corsOrigins));
  router.use(loginRoutes(config, check));
  router.post(
    '/decode',
    requireOperator(check),
    // JSON only: a cross-origin request of this type needs a preflight, which only the UI's origins pass.
    express.json({ limit: '8mb', type: () => true }),
    async (req, res) => {
      if (!req.is('application/json')) throw new HttpProblem(415, 'Unsupported Media Type', 'Send application/json.');
      const namespace = req.get('X-Namespace');
      if (namespace && namespace !== config.temporal.namespace) {
        throw new HttpProblem(400, 'Bad Request', `This codec server serves namespace ${config.temporal.namespace}.`);
      }
      const payloads = payloadsFromJson(req.body);
      const decoded = await decodeForOperators(codec, payloads);
      // An audit line: who read how many payloads (no payload content, no personal data).
      logger.info(
        { operator: operatorOf(res).clientId, payloads: payloads.length },
        'payloads decoded for an operator',
      );
      res.json(payloadsToJson(decoded));
    },
  );
  return router;
}
