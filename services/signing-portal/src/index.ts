export { createPortal, type PortalDeps } from './app.js';
export { IdentityMethods, subjectMismatches } from './identity.js';
export { OidcMethod } from './oidc-methods.js';
export { sendSignerAction } from './signer-actions.js';
