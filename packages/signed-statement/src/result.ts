import { PDF } from '@libpdf/core';
import type { StatementProof } from './nonce.js';

/** File names of a signed statement's parts in a sealed result (one signer; later signers' get `-2`, `-3`, …). */
export const STATEMENT_FILES = {
  token: 'signed-statement.jwt',
  proof: 'signed-statement-proof.json',
  evidence: 'signing-evidence.json',
} as const;

const suffixed = (name: string, n: number) => (n === 1 ? name : name.replace(/(\.[^.]+)$/, `-${n}$1`));

/** The `n`th signer's signed statement of a sealed result: the ID token, its proof and the evidence's statement. */
export async function statementOf(
  pdf: Uint8Array,
  n = 1,
): Promise<{ token: string; proof: StatementProof; statement?: string }> {
  const doc = await PDF.load(pdf);
  const read = async (name: string) => {
    const data = await doc.attachments.get(suffixed(name, n));
    if (!data) throw new Error(`the result has no ${suffixed(name, n)}`);
    return Buffer.from(data).toString('utf8');
  };
  const evidence = JSON.parse(await read(STATEMENT_FILES.evidence)) as { signer?: { statement?: string } };
  const statement = evidence.signer?.statement;
  return {
    token: (await read(STATEMENT_FILES.token)).trim(),
    proof: JSON.parse(await read(STATEMENT_FILES.proof)) as StatementProof,
    ...(statement !== undefined ? { statement } : {}),
  };
}
