import { ConfigError } from './parse-env.js';
import type { Env } from './schema.js';

export type PadesLevel = 'B-B' | 'B-T' | 'B-LT' | 'B-LTA';

export interface SigningConfig {
  dataDir: string;
  p12File?: string;
  p12Password?: string;
  caFile?: string;
  tsaUrl?: string;
  level: PadesLevel;
  pkcs11?: { module: string; tokenLabel: string; keyLabel: string; pin: string };
  /** Days before the newest timestamp's certificate expires when an archived document is timestamped anew. */
  archiveRenewalMarginDays: number;
}

const PKCS11 = [
  'SIGNING_PKCS11_MODULE',
  'SIGNING_PKCS11_TOKEN_LABEL',
  'SIGNING_PKCS11_KEY_LABEL',
  'SIGNING_PKCS11_PIN',
] as const;

/** The signing settings, checked together: a level above B-B needs a TSA; a PKCS#11 key all four of its settings. */
export function signingConfig(e: Env): SigningConfig {
  const problems: string[] = [];
  const level = e.SIGNING_LEVEL ?? (e.SIGNING_TSA_URL ? 'B-LTA' : 'B-B');
  if (level !== 'B-B' && !e.SIGNING_TSA_URL) problems.push(`SIGNING_LEVEL: ${level} needs SIGNING_TSA_URL`);
  const set = PKCS11.filter((name) => e[name] !== undefined);
  if (set.length > 0 && set.length < PKCS11.length) {
    problems.push(
      `SIGNING_PKCS11_*: set all of ${PKCS11.join(', ')} (missing ${PKCS11.filter((n) => !set.includes(n)).join(', ')})`,
    );
  }
  if (set.length > 0 && e.SIGNING_P12_FILE) problems.push('SIGNING_P12_FILE: set it or SIGNING_PKCS11_*, not both');
  if (problems.length) throw new ConfigError(problems);
  return {
    dataDir: e.ESIGN_DATA_DIR,
    p12File: e.SIGNING_P12_FILE,
    p12Password: e.SIGNING_P12_PASSWORD,
    caFile: e.SIGNING_CA_FILE,
    tsaUrl: e.SIGNING_TSA_URL,
    level,
    ...(set.length === PKCS11.length
      ? {
          pkcs11: {
            module: e.SIGNING_PKCS11_MODULE!,
            tokenLabel: e.SIGNING_PKCS11_TOKEN_LABEL!,
            keyLabel: e.SIGNING_PKCS11_KEY_LABEL!,
            pin: e.SIGNING_PKCS11_PIN!,
          },
        }
      : {}),
    archiveRenewalMarginDays: e.ARCHIVE_RENEWAL_MARGIN_DAYS,
  };
}
