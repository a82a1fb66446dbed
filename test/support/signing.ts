// The test stack's seal key and trust root, for tests that seal or verify beside its services. The test stack keeps
// its seal key in a SoftHSM2 token (PKCS#11); a reused `npm start` stack in a PKCS#12 file.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadSigningIdentity, type SigningIdentity } from '@esign/pdf-signing';
import type { StackInfo } from './stack-info.js';

/** The stack's seal identity, loaded as its document-storage worker loads it. */
export function stackSigningIdentity(stack: StackInfo): Promise<SigningIdentity> {
  const e = stack.env;
  if (!e.SIGNING_PKCS11_MODULE) return loadSigningIdentity({ dataDir: stack.dataDir });
  // SoftHSM2 finds the token through this variable, read when this process first opens the module.
  process.env.SOFTHSM2_CONF = e.SOFTHSM2_CONF;
  return loadSigningIdentity({
    pkcs11: {
      module: e.SIGNING_PKCS11_MODULE,
      tokenLabel: e.SIGNING_PKCS11_TOKEN_LABEL!,
      keyLabel: e.SIGNING_PKCS11_KEY_LABEL!,
      pin: e.SIGNING_PKCS11_PIN!,
    },
    ...(e.SIGNING_CA_FILE ? { caFile: e.SIGNING_CA_FILE } : {}),
  });
}

/** The test PKI's root CA: the one trust anchor validators of the stack's results need. */
export function stackTrustRoot(stack: StackInfo): string {
  return readFileSync(join(stack.dataDir, 'signing', 'ca.pem'), 'utf8');
}
