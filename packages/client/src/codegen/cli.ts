// `npm run generate:client [-- --from <openapi.json URL>] [--out <file>]`: regenerates the SDK's types, from the
// contract code by default or from a running gateway's /enterprise/sign/openapi.json.
import { parseArgs } from 'node:util';
import { GENERATED_FILE, servedDocument, writeApiTypes } from './generate.js';

const { values } = parseArgs({ options: { from: { type: 'string' }, out: { type: 'string' } } });
const document = values.from
  ? ((await (await fetch(values.from)).json()) as Record<string, unknown>)
  : servedDocument();
const out = values.out ?? GENERATED_FILE;
await writeApiTypes(document, out);
process.stdout.write(`wrote ${out}\n`);
