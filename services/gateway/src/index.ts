export { createGateway, type GatewayDeps } from './app.js';
