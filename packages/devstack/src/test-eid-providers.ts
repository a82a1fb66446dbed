// The dev stack's identity methods (IDENTITY_PROVIDERS): the method names of the README example, each an OIDC
// provider entry pointing at the test eID (which plays every eID, told apart by `acr_values`), and the two
// one-time-code methods. Configured exactly as an operator configures a real eID broker; nothing here is built in.

/** The environment variable the portal reads the test eID client's secret from (`clientSecretEnv`). */
export const TEST_EID_SECRET_ENV = 'TEST_EID_CLIENT_SECRET';
/** The test eID's client of the signing portal (the `signing-portal` entry of the dev clients file). */
export const TEST_EID_CLIENT = { clientId: 'esign-portal', secret: 'portal-dev-secret' } as const;

/** The eIDs the test eID stands in for, by method name stem: their display name. */
const EIDS: Record<string, string> = {
  nbid: 'BankID (Norway)',
  sbid: 'BankID (Sweden)',
  nemid: 'NemID',
  mitid: 'MitID',
  ftn: 'Finnish Trust Network',
  scid: 'Smart-ID',
  itsme: 'itsme',
  idin: 'iDIN',
  freja: 'Freja eID',
};
const METHODS = [
  'nbid',
  'nbid-sign',
  'nbid-mobile',
  'sbid',
  'sbid-sign',
  'nemid',
  'nemid-sign',
  'mitid',
  'mitid-sign',
  'ftn',
  'ftn-sign',
  'scid',
  'scid-sms',
  'itsme',
  'idin',
  'freja',
];

/** A tiny badge for the test eID's buttons (a data: URL, so the portal's CSP allows it). */
const TEST_ICON =
  'data:image/svg+xml;base64,' +
  Buffer.from(
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><rect width="24" height="24" rx="4" fill="#6b3fa0"/>' +
      '<text x="12" y="16" font-size="10" text-anchor="middle" fill="#fff">test</text></svg>',
  ).toString('base64');

/** The dev identity methods, as the JSON of IDENTITY_PROVIDERS, for a test eID at `issuer`. */
export function testEidProviders(issuer: string): string {
  const oidc = (method: string) => {
    const [stem, variant] = method.split('-') as [string, string | undefined];
    const what = variant === 'sign' ? ', signing' : variant ? ` (${variant})` : '';
    return {
      type: 'oidc',
      issuer,
      clientId: TEST_EID_CLIENT.clientId,
      clientSecretEnv: TEST_EID_SECRET_ENV,
      scopes: ['openid', 'profile'],
      authorizationParams: { acr_values: method },
      claims: { 'national-id': 'national_id', 'date-of-birth': 'birthdate' },
      signatureTypes: ['AUTHENTICATION_BASED', 'SIGNED_STATEMENT'],
      displayName: { en: `Test eID as ${EIDS[stem]}${what}` },
      icon: TEST_ICON,
    };
  };
  const methods: Record<string, unknown> = Object.fromEntries(METHODS.map((m) => [m, oidc(m)]));
  methods['sms-otp'] = {
    type: 'one-time-code',
    channel: 'SMS',
    displayName: { en: 'Code by text message', nb: 'Kode på SMS', sv: 'Kod via sms', da: 'Kode via sms' },
  };
  methods['email-otp'] = {
    type: 'one-time-code',
    channel: 'EMAIL',
    displayName: { en: 'Code by e-mail', nb: 'Kode på e-post', sv: 'Kod via e-post', da: 'Kode via e-mail' },
  };
  return JSON.stringify({ methods });
}
