export const en = {
  tag: 'Test eID: for development and testing only',
  heading: 'Log in with {method}',
  suffix: '(test eID)',
  intro: '{client} asks who you are. Choose a test person, or type the national identity number of one.',
  statementHeading: 'What you sign',
  statementIntro: 'Logging in signs a statement that binds you to {count}, identified by SHA-256 digest:',
  oneDocument: '1 document',
  documents: '{n} documents',
  identitiesLegend: 'Test identities',
  born: 'born {date}',
  nationalIdLabel: 'National identity number',
  nationalIdHint: 'Only the test identities above are known; spaces and hyphens are ignored.',
  login: 'Log in',
  cancel: 'Cancel',
  unknownId: 'No test identity has the national identity number {id}.',
  enterId: 'Enter a national identity number, or choose a test identity.',
  NO: 'Norway',
  SE: 'Sweden',
  DK: 'Denmark',
  FI: 'Finland',
};

export type LoginTexts = Record<keyof typeof en, string>;
