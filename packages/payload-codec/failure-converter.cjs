// The failure converter of every Temporal client and worker of the platform, loaded by path (Temporal's
// `failureConverterPath`): into the workflow bundle, and at run time next to the service bundles. It moves a
// failure's message and stack trace into an encoded payload, so the payload codec encrypts them too (an SMTP error
// names its recipient; a URL error its target). Plain CommonJS: required as is, with no build step, everywhere.
const { DefaultFailureConverter } = require('@temporalio/common');

exports.failureConverter = new DefaultFailureConverter({ encodeCommonAttributes: true });
