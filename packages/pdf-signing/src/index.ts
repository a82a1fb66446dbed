// PAdES sealing of signed documents (ETSI.CAdES.detached, signing-certificate-v2, B-B or B-T) with the platform's
// signing identity, text-to-PDF rendering, and independent verification helpers (pdfsig, pyHanko, a local TSA).
export { loadSigningIdentity, DEV_SIGNING_DIR, type SigningIdentity, type SigningIdentityOptions } from './identity.js';
export { textToPdf } from './text.js';
export {
  sealPdf,
  sealPdfForSigners,
  EVIDENCE_FILE_NAME,
  type SealInput,
  type SealSigner,
  type SignerSeal,
} from './seal.js';
export { readSignatureDictionaries, type SignatureDictionary } from './inspect.js';
export { verifyWithPdfsig, verifyWithPyhanko, type PdfsigSignature } from './verify.js';
export { startLocalTsa, type LocalTsa } from './tsa.js';
export { createCa, issueCertificate, type KeyAndCert } from './certs.js';
