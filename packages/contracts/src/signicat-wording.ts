import type { Violation } from './violations.js';

// Signicat's own violation messages, where they are known (its .NET SDK's integration tests assert them), so a
// client that matches on them keeps working. Everywhere else the platform's wording stands.
const KNOWN: readonly { path: RegExp; ours: string; theirs: string }[] = [
  {
    path: /^tasks\[\d+\]\.subject\.attributes\[\d+\]\.value$/,
    ours: 'is required',
    theirs: 'Subject attribute value is required',
  },
];

export function inSignicatWording(violation: Violation): Violation {
  const known = KNOWN.find((k) => k.ours === violation.message && k.path.test(violation.propertyPath));
  return known ? { ...violation, message: known.theirs } : violation;
}
