// SIGNED_STATEMENT by standard means: the nonce that binds an OpenID Connect ID token to the documents, the proof a
// result carries, and the offline check (`npm run verify-statement`).
export { NONCE_SCHEME, newSalt, sha256Hex, statementNonce, type StatementProof } from './nonce.js';
export { verifyStatement, type StatementInputs, type StatementVerdict } from './verify.js';
export { STATEMENT_FILES, statementOf } from './result.js';
