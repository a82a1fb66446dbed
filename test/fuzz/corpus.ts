// The hostile-input corpus: malformed and malicious PDFs, oversized and deeply nested JSON, Unicode edge cases, path
// traversal and overlong ids in every path parameter, header injection in notification fields, SSRF targets. Each
// case says which answer the contract asks for. `npm run fuzz` sends every case to its own stack and counts the
// answers; test/integration/hostile-input.test.ts sends them to the test stack and also checks that each refused
// one left nothing behind.
import { headerInjectionCases } from './corpus/header-injection.js';
import { jsonCases } from './corpus/json.js';
import { pathCases } from './corpus/path.js';
import { pdfCases } from './corpus/pdf.js';
import { protocolCases } from './corpus/protocol.js';
import { ssrfCases } from './corpus/ssrf.js';
import type { CorpusCase } from './corpus/types.js';
import { unicodeCases } from './corpus/unicode.js';

export const CORPUS: CorpusCase[] = [
  ...pdfCases,
  ...jsonCases,
  ...unicodeCases,
  ...pathCases,
  ...headerInjectionCases,
  ...ssrfCases,
  ...protocolCases,
];
