// Starts and stops the real servers (Temporal, SeaweedFS, Redis, MailDev, certomancer) and the project's services as child
// processes, plus the dev SMS sink (a Twilio Messages API stand-in) in this process. `npm start` uses it with the
// fixed dev ports; the tests use it with free ports and temp dirs.
export { startStack } from './stack.js';
export { freeStackPorts, type StackPorts } from './stack-ports.js';
export type { ServerName, Stack, StackOptions } from './stack-types.js';
export { startServices, SERVICES, type RunningService, type ServiceName } from './services.js';
export { freePort, assertPortsFree } from './ports.js';
export { startTemporal } from './servers/temporal.js';
export { startRedis } from './servers/redis.js';
export { startSmsSink, type SmsSink, type SmsSinkMessage } from './servers/sms-sink.js';
export { tool } from './tools.js';
export { startTestPki, type TestPki } from './pki/test-pki.js';
export type { StackPki } from './pki/stack-pki.js';
export type { PkiOptions } from './pki/pki.js';
export type { TsaSpec } from './pki/spec.js';
export type { SealKeyMode } from './pki/seal-key.js';
export type { ManagedProcess } from './process.js';
export { testEidProviders, TEST_EID_CLIENT, TEST_EID_SECRET_ENV } from './test-eid-providers.js';
