/** What the global setup hands the integration tests about the running stack. */
export interface StackInfo {
  /** True when the tests run against an `npm start` dev stack instead of their own throwaway one. */
  reused: boolean;
  /** Service environment pointing at the stack (TEMPORAL_ADDRESS, S3_*, REDIS_URL, ports…). */
  env: Record<string, string>;
  logDir: string;
  /** The stack's data dir (identity signing keys live in `<dataDir>/identity/jwks.json`). */
  dataDir: string;
  mailUi: string;
  /** The dev SMS sink (Twilio Messages API stand-in); `${smsSinkUrl}/messages` lists what it received. */
  smsSinkUrl: string;
  /** The local OTLP collector the stack's services export traces to (`GET ${otlpUrl}/spans`); '' for a dev stack. */
  otlpUrl: string;
  /** The Temporal UI (its payloads decoded through the gateway's codec server), when the stack runs one. */
  temporalUi?: string;
  /** Process ids of the stack's services (empty when reusing a dev stack). */
  servicePids: Record<string, number>;
}

declare module 'vitest' {
  export interface ProvidedContext {
    stack: StackInfo;
  }
}
