import { describe, expect, it } from 'vitest';
import { signStatement } from './sign-statement.js';

describe('the sign statement', () => {
  it('is the signText, then each document entry named as the signer sees the document', () => {
    const statement = signStatement({
      signText: 'I accept the loan.',
      documents: [
        { id: 'loan', description: 'Loan agreement', signTextEntry: 'I borrow 1000 EUR.' },
        { id: 'terms' },
        { id: 'privacy', signTextEntry: 'I consent to the processing.' },
      ],
    });
    expect(statement).toEqual({
      signText: 'I accept the loan.',
      entries: [
        { documentId: 'loan', document: 'Loan agreement', entry: 'I borrow 1000 EUR.' },
        { documentId: 'privacy', document: 'privacy', entry: 'I consent to the processing.' },
      ],
      text: 'I accept the loan.\nLoan agreement: I borrow 1000 EUR.\nprivacy: I consent to the processing.',
    });
  });

  it('is made of entries alone when there is no signText, and absent when there is nothing', () => {
    expect(signStatement({ documents: [{ id: 'a', signTextEntry: 'Yes.' }] })).toEqual({
      entries: [{ documentId: 'a', document: 'a', entry: 'Yes.' }],
      text: 'a: Yes.',
    });
    expect(signStatement({ documents: [{ id: 'a' }] })).toBeUndefined();
  });
});
