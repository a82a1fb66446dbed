// The operator CLI as a library: runOps runs one command (tests call it in-process with their own output).
export { runOps, USAGE } from './cli.js';
export type { Io, Outcome } from './output.js';
