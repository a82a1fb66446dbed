import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { ConfigError } from './parse-env.js';

// Signing-interface configurations (contract §6): named brandings a task picks with `configuration` or `profile`.
// Defined by the operator in a JSON file; `default` always exists.

const color = z.string().regex(/^#[0-9a-fA-F]{6}$/, 'must be a colour like #1a4d8f');

export const SigningConfiguration = z.strictObject({
  /** Shown in the portal's header. */
  displayName: z.string().min(1).max(100).default('E-Sign'),
  /** An https (or, in dev, http) image URL, or a data: URL. */
  logoUrl: z
    .string()
    .regex(/^(https?:\/\/|data:image\/(png|svg\+xml|jpeg);base64,)/, 'must be an http(s) or data:image URL')
    .max(100_000)
    .optional(),
  primaryColor: color.default('#1a4d8f'),
  backgroundColor: color.default('#f5f7fa'),
  /** Feature toggles: whether signers may reject or postpone. */
  allowReject: z.boolean().default(true),
  allowPostpone: z.boolean().default(true),
  /** Whether a signer may hand the task to another person (a name and an e-mail address or mobile number). */
  allowForward: z.boolean().default(false),
  /**
   * Whether the order's `subject` still applies once a task was forwarded: `keep` — whoever signs must still match
   * it (forwarding to another device or address of the same person); `drop` — the person it was forwarded to signs
   * as themselves.
   */
  forwardSubject: z.enum(['keep', 'drop']).default('keep'),
});

export type SigningConfiguration = z.infer<typeof SigningConfiguration>;

const File = z.record(
  z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, 'names are 1-64 of [A-Za-z0-9_.-]'),
  SigningConfiguration,
);

/** The configurations by name: `default` (built in, unless the file overrides it) and those of the file. */
export function loadSigningConfigurations(file?: string): Map<string, SigningConfiguration> {
  const configurations = new Map<string, SigningConfiguration>([['default', SigningConfiguration.parse({})]]);
  if (!file) return configurations;
  const parsed = File.safeParse(JSON.parse(readFileSync(file, 'utf8')));
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`),
      `signing configurations in ${file}`,
    );
  }
  for (const [name, value] of Object.entries(parsed.data)) configurations.set(name, value);
  return configurations;
}
