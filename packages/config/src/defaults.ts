// Defaults match the dev stack started by `npm start`, so every service runs there with no environment at all.
// Production sets every value that differs (see docs/configuration.md); secrets here are dev-only.
export const DEV_DEFAULTS = {
  ports: {
    gateway: 8080,
    portal: 8081,
    identity: 8090,
    temporal: 7233,
    temporalUi: 8233,
    mailUi: 1080,
    smsSink: 1081,
    smtp: 1025,
    s3: 8333,
    redis: 6380,
    orchestratorHealth: 9101,
    documentStorageHealth: 9102,
    sealingHealth: 9107,
    notificationHealth: 9103,
    archiveHealth: 9104,
    // The test PKI (certomancer): its URLs are written into the dev certificates.
    pki: 9720,
    // The gateway's and the portal's health, metrics (and the gateway's diagnostics): never on the public ports.
    gatewayOperator: 9105,
    portalOperator: 9106,
  },
  s3: { accessKey: 'esign-dev', secretKey: 'esign-dev-secret' },
  // Twilio requires an account SID starting with AC; the dev SMS sink accepts these.
  twilio: { accountSid: `AC${'0'.repeat(32)}`, authToken: 'esign-dev-twilio-token' },
  notificationSigningSecret: 'esign-dev-callback-secret',
  signCodeSecret: 'esign-dev-sign-code-secret',
  /** The dev stack's one payload key (`<id>=<base64 of 32 bytes>`); production's come from a Secret. */
  payloadKeys: 'dev-1=XdL6wIBtSUKa100MZq3dyad9ij1c9i/trzTe4jfav1c=',
} as const;
