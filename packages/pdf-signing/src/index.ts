// PAdES sealing of signed documents (ETSI.CAdES.detached, signing-certificate-v2, B-B up to B-LTA) with the
// platform's signing identity (PKCS#12 or a PKCS#11 token), archive timestamp renewal, text-to-PDF rendering, and
// independent verification helpers (pdfsig, pyHanko).
export {
  loadSigningIdentity,
  DEV_SIGNING_DIR,
  type SigningIdentity,
  type SigningIdentityOptions,
  type SigningKey,
} from './identity.js';
export type { Pkcs11KeyRef } from './pkcs11.js';
export { textToPdf } from './text.js';
export {
  sealPdf,
  sealPdfForSigners,
  EVIDENCE_FILE_NAME,
  type PadesLevel,
  type SealInput,
  type SealSigner,
  type SignerSeal,
} from './seal.js';
export { SealDependencyError, CertificateRevokedError, type SealService } from './errors.js';
export { typedSealFailures, type OnDependencyFailure } from './activity-failures.js';
export { renewArchivalTimestamp, timestampExpiry } from './archival.js';
export { dssContents, padesLevels } from './level.js';
export { readSignatureDictionaries, type SignatureDictionary } from './inspect.js';
export {
  verifyLongTerm,
  verifyWithPdfsig,
  verifyWithPyhanko,
  type LongTermVerdict,
  type PdfsigSignature,
  type PyhankoOptions,
} from './verify.js';
