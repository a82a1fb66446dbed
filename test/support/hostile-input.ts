// What the hostile-input test files share: the merchant they run as, a live upload for orders that are valid but
// for the one hostile field, and the check that a case is answered as the contract asks and leaves nothing behind.
import { afterAll, beforeAll, expect } from 'vitest';
import { judge, sendRaw } from '../fuzz/corpus/answers.js';
import type { CorpusAnswer, CorpusCase, CorpusContext } from '../fuzz/corpus/types.js';
import { added, snapshot } from '../fuzz/leftovers.js';
import { gatewayUrl, stackClients } from './clients.js';
import { uploadOk } from './documents.js';
import { accessToken, MERCHANTS } from './merchants.js';

// The corpus runs as the other merchant, whose storage no other test file writes to in the background, so "nothing
// new in its storage" is exact.
export const MERCHANT = 'other' as const;
const MERCHANT_ID = MERCHANTS.other.merchantId;

// Set by the beforeAll that hostileInput() registers, read by the tests through these live bindings (each test file
// has its own copy of this module).
let c: Awaited<ReturnType<typeof stackClients>>;
/** The merchant's access token. */
export let token: string;
/** The corpus context over a live upload of the merchant. */
export let context: CorpusContext;

/** Registers the suite's hooks (call it inside a describe): the clients, token and upload the tests use. */
export function hostileInput(): void {
  beforeAll(async () => {
    c = await stackClients();
    token = await accessToken(MERCHANT);
    context = { basePath: '/enterprise/sign', documentRef: await uploadOk(MERCHANT, 'Agreement', 'text/plain') };
  });
  afterAll(async () => {
    await c?.close();
  });
}

/** Sends a case (to the stack's gateway unless told otherwise), judges the answer, and checks nothing was added. */
export async function expectCase(k: CorpusCase, origin = gatewayUrl()): Promise<CorpusAnswer> {
  const before = await snapshot(c, MERCHANT_ID);
  const answer = await sendRaw(origin, k.request(context), token);
  expect(judge(k, answer), k.name).toBeNull();
  expect(added(before, await snapshot(c, MERCHANT_ID)), k.name).toEqual([]);
  return answer;
}
