// The benchmark's signers: one small text document each, and the seal request each signs it with.
import type { SealRequest } from '@esign/temporal-contracts';

/** The packaging task's id. */
export const PKG = 'pkg1';

export const documentText = (n: number, i: number) =>
  `Agreement part ${i} of ${n}\n\nThe parties agree to the terms set out in part ${i}.\nSigned by signer ${i}.`;
export const signerName = (i: number) => `Signer ${i} Nordmann`;
export const sealRequest = (i: number): SealRequest => ({
  signatureType: 'AUTHENTICATION_BASED',
  evidence: {
    signerName: signerName(i),
    method: 'nbid-sign',
    authenticatedAt: new Date().toISOString(),
    claims: { national_id: `0101701${String(i).padStart(4, '0')}`, name: signerName(i) },
    ip: '127.0.0.1',
    userAgent: 'packaging benchmark',
  },
});
