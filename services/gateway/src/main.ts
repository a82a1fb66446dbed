import { runHttpService } from '@esign/service-runtime';
import { createGateway } from './app.js';
import { createOperatorRoutes } from './operator.js';

await runHttpService({
  service: 'gateway',
  port: (config) => config.gateway.port,
  operatorPort: (config) => config.gateway.operatorPort,
  app: createGateway,
  operator: createOperatorRoutes,
});
