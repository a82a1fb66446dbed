import { describe, expect, it } from 'vitest';
import { documentsToOpen, unopenedDocuments } from './opening.js';

describe('the opening rule', () => {
  const actions = { contract: 'SIGN', terms: 'VIEW', passport: 'UPLOAD' } as const;

  it('asks for every document shown to the signer to be opened, none to upload', () => {
    expect(documentsToOpen(actions)).toEqual(['contract', 'terms']);
  });

  it('names what is still unopened, in the task order', () => {
    expect(unopenedDocuments(actions, [])).toEqual(['contract', 'terms']);
    expect(unopenedDocuments(actions, ['terms'])).toEqual(['contract']);
    expect(unopenedDocuments(actions, ['terms', 'contract', 'passport'])).toEqual([]);
  });
});
