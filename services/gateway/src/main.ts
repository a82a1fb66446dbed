import { runHttpService } from '@esign/service-runtime';
import { createGateway } from './app.js';

await runHttpService({ service: 'gateway', port: (config) => config.gateway.port, app: createGateway });
