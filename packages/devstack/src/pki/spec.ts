// The test PKI as a certomancer configuration: a root CA, an issuing CA, the seal certificate, an OCSP responder for
// the issuing CA, CRLs of both CAs and RFC 3161 time-stamping authorities. Written as JSON, which YAML parsers read
// as it is (and no bare `NO` turns into a boolean).

/** A time-stamping authority of the PKI: its certificate (issued by the root) lives `days` days. */
export interface TsaSpec {
  label: string;
  days: number;
}

export interface PkiSpec {
  /** Short random id in the organisation name, so two test PKIs never share an issuer name and serial number. */
  id: string;
  /** Start of every certificate's validity (the PKI's creation, less an hour for clock skew), ISO 8601. */
  validFrom: string;
  sealDays: number;
  tsas: TsaSpec[];
  /** Certificates revoked, by label, with the time from which they count as revoked (ISO 8601). */
  revoked: Record<string, string>;
  /** `public-only`: the seal key lives in a token; certomancer gets its public key only. */
  sealKey: 'file' | 'public-only';
}

/** The certomancer architecture label: URLs are `<prefix>/esign/{ocsp,tsa,crls,certs}/…`. */
export const ARCH = 'esign';
const DAY_MS = 864e5;
// The root publishes its CRL (an offline root's ARL) every five years; the issuing CA daily. A validator years
// after signing then still holds current revocation data for the TSA and the issuing CA in the document's DSS: the
// point-in-time validation of pyHanko does not fetch any (docs/signing.md).
const ROOT_CRL_SCHEDULE = 'P1826D';
const ISSUING_CRL_SCHEDULE = 'P1D';

const at = (from: string, days: number) =>
  new Date(Date.parse(from) + days * DAY_MS).toISOString().replace(/\.\d{3}Z$/, '+0000');

function keyUsage(...usages: string[]) {
  return { id: 'key_usage', critical: true, 'smart-value': { schema: 'key-usage', params: usages } };
}
const crlFrom = (repo: string) => ({
  id: 'crl_distribution_points',
  'smart-value': { schema: 'crl-dist-url', params: { 'crl-repo-names': [repo] } },
});

/** The certomancer configuration for `spec`, its service URLs under `urlPrefix` (e.g. http://127.0.0.1:9720). */
export function certomancerConfig(spec: PkiSpec, urlPrefix: string): Record<string, unknown> {
  const validity = (days: number) => ({ 'valid-from': at(spec.validFrom, 0), 'valid-to': at(spec.validFrom, days) });
  const revocation = (label: string) =>
    spec.revoked[label]
      ? { revocation: { 'revoked-since': at(spec.revoked[label], 0), reason: 'key_compromise' } }
      : {};
  const tsaCerts = Object.fromEntries(
    spec.tsas.map((tsa) => [
      tsa.label,
      {
        subject: tsa.label,
        issuer: 'root',
        validity: validity(tsa.days),
        extensions: [
          keyUsage('digital_signature'),
          { id: 'extended_key_usage', critical: true, value: ['time_stamping'] },
          crlFrom('root'),
        ],
        ...revocation(tsa.label),
      },
    ]),
  );
  return {
    'external-url-prefix': urlPrefix,
    keysets: {
      [ARCH]: {
        'path-prefix': 'keys',
        keys: {
          root: { path: 'root.key.pem' },
          interm: { path: 'interm.key.pem' },
          ocsp: { path: 'ocsp.key.pem' },
          seal: spec.sealKey === 'file' ? { path: 'seal.key.pem' } : { path: 'seal.pub.pem', 'public-only': true },
          ...Object.fromEntries(spec.tsas.map((tsa) => [tsa.label, { path: `${tsa.label}.key.pem` }])),
        },
      },
    },
    'pki-architectures': {
      [ARCH]: {
        keyset: ARCH,
        'entity-defaults': { 'country-name': 'NO', 'organization-name': `esign dev PKI ${spec.id}` },
        entities: {
          root: { 'common-name': 'esign dev root CA' },
          interm: { 'common-name': 'esign dev issuing CA' },
          ocsp: { 'common-name': 'esign dev OCSP responder' },
          seal: { 'common-name': 'esign dev seal' },
          ...Object.fromEntries(spec.tsas.map((tsa) => [tsa.label, { 'common-name': `esign dev TSA ${tsa.label}` }])),
        },
        certs: {
          root: {
            subject: 'root',
            issuer: 'root',
            validity: validity(30 * 365),
            extensions: [
              { id: 'basic_constraints', critical: true, value: { ca: true } },
              keyUsage('digital_signature', 'key_cert_sign', 'crl_sign'),
            ],
          },
          interm: {
            issuer: 'root',
            validity: validity(20 * 365),
            extensions: [
              { id: 'basic_constraints', critical: true, value: { ca: true, 'path-len-constraint': 0 } },
              keyUsage('digital_signature', 'key_cert_sign', 'crl_sign'),
              crlFrom('root'),
            ],
            ...revocation('interm'),
          },
          // ocsp-nocheck: validators need no revocation data for the responder itself.
          ocsp: {
            issuer: 'interm',
            validity: validity(20 * 365),
            extensions: [
              keyUsage('digital_signature'),
              { id: 'extended_key_usage', critical: true, value: ['ocsp_signing'] },
              { id: 'ocsp_no_check' },
            ],
          },
          // nonRepudiation: pyHanko requires it of signers; emailProtection: what NSS (pdfsig) checks for one.
          seal: {
            issuer: 'interm',
            validity: validity(spec.sealDays),
            extensions: [
              keyUsage('digital_signature', 'non_repudiation'),
              { id: 'extended_key_usage', value: ['email_protection'] },
              crlFrom('interm'),
              {
                id: 'authority_information_access',
                'smart-value': { schema: 'aia-urls', params: { 'ocsp-responder-names': ['interm'] } },
              },
            ],
            ...revocation('seal'),
          },
          ...tsaCerts,
        },
        services: {
          ocsp: { interm: { 'for-issuer': 'interm', 'responder-cert': 'ocsp', 'signing-key': 'ocsp' } },
          'crl-repo': {
            root: { 'for-issuer': 'root', 'signing-key': 'root', 'simulated-update-schedule': ROOT_CRL_SCHEDULE },
            interm: {
              'for-issuer': 'interm',
              'signing-key': 'interm',
              'simulated-update-schedule': ISSUING_CRL_SCHEDULE,
            },
          },
          'cert-repo': {
            root: { 'for-issuer': 'root', 'publish-issued-certs': true },
            interm: { 'for-issuer': 'interm', 'publish-issued-certs': true },
          },
          'time-stamping': Object.fromEntries(
            spec.tsas.map((tsa) => [tsa.label, { 'signing-key': tsa.label, 'signing-cert': tsa.label }]),
          ),
        },
      },
    },
  };
}

/** The labels of the keys a PKI needs as files (the seal's may be a public key only). */
export function keyLabels(spec: PkiSpec): string[] {
  return ['root', 'interm', 'ocsp', ...spec.tsas.map((tsa) => tsa.label)];
}
