export { createGateway, type GatewayDeps } from './app.js';
export { authenticate, merchantOf } from './auth/authenticate.js';
export { createTokenVerifier, TokenRejected, type Principal, type TokenVerifier } from './auth/token-verifier.js';
