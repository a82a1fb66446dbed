import { runHttpService } from '@esign/service-runtime';
import { createPortal } from './app.js';

await runHttpService({
  service: 'signing-portal',
  port: (config) => config.portal.port,
  operatorPort: (config) => config.portal.operatorPort,
  app: createPortal,
});
