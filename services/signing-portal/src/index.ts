export { createPortal, type PortalDeps } from './app.js';
export { IdentityMethods, subjectMismatches } from './identity.js';
export { sendSignerAction } from './signer-actions.js';
