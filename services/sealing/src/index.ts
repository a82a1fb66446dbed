// The sealing service: PAdES seals of signed documents and packages, with the platform's key (PKCS#12 or PKCS#11).
export { createSealingActivities } from './activities.js';
export type { SealingDeps } from './sealing.js';
