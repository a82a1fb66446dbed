// `npm run ops -- <command>` (and `node /app/dist/bin/ops.mjs <command>` in the image): the operator CLI.
import { text } from 'node:stream/consumers';
import { runOps } from './cli.js';

const code = await runOps(process.argv.slice(2), {
  out: (s) => process.stdout.write(s),
  err: (s) => process.stderr.write(s),
  stdin: () => text(process.stdin),
});
process.exit(code);
