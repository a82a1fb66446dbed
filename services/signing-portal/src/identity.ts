import { resolveClientCredentials, type IdentityProviderConfig, type IdentityProviders } from '@esign/config';
import { OidcMethod } from './oidc-methods.js';

export type { Authenticated } from './oidc-methods.js';

/**
 * The configured identity methods (contract §7; IDENTITY_PROVIDERS): each method name an OIDC provider or a one-time
 * code, shown to signers under its display name and icon. OIDC clients are made at start, so a missing secret or key
 * stops the portal with the setting named.
 */
export class IdentityMethods {
  private readonly oidc = new Map<string, OidcMethod>();

  constructor(
    readonly providers: IdentityProviders,
    opts: { redirectUri: string; env?: NodeJS.ProcessEnv; deadlineMs?: number },
  ) {
    const credentials = resolveClientCredentials(providers, opts.env ?? process.env);
    for (const [name, provider] of providers.methods) {
      if (provider.type !== 'oidc') continue;
      this.oidc.set(
        name,
        new OidcMethod({
          provider,
          credential: credentials.get(name)!,
          redirectUri: opts.redirectUri,
          ...(opts.deadlineMs ? { deadlineMs: opts.deadlineMs } : {}),
        }),
      );
    }
  }

  provider(method: string): IdentityProviderConfig | undefined {
    return this.providers.methods.get(method);
  }

  /** The method's OIDC client; undefined for one-time codes and unknown methods. */
  oidcMethod(method: string): OidcMethod | undefined {
    return this.oidc.get(method);
  }

  /** The one-time-code channel of the method, if it is one. */
  oneTimeCodeChannel(method: string): 'SMS' | 'EMAIL' | undefined {
    const provider = this.provider(method);
    return provider?.type === 'one-time-code' ? provider.channel : undefined;
  }

  /** What signers see of a method: its display name in their language (else English) and its icon. */
  label(method: string, language: string): { name: string; label: string; icon?: string } {
    const provider = this.provider(method);
    const names = provider?.displayName as Record<string, string> | undefined;
    return {
      name: method,
      label: names?.[language] ?? names?.en ?? method,
      ...(provider?.icon ? { icon: provider.icon } : {}),
    };
  }
}

const ATTRIBUTE_CLAIMS: Record<string, string> = {
  'national-id': 'national_id',
  'national-identity-number': 'national_id',
  nationalid: 'national_id',
  ssn: 'national_id',
  'personal-number': 'national_id',
  'date-of-birth': 'birthdate',
  dateofbirth: 'birthdate',
  birthdate: 'birthdate',
  name: 'name',
  mobile: 'phone_number',
  phone: 'phone_number',
  'phone-number': 'phone_number',
  email: 'email',
};

/**
 * Where a one-time code goes: the subject's `mobile`/`email` attribute, else the task's first notification of that
 * channel. Undefined when the order names none.
 */
export function oneTimeCodeRecipient(
  channel: 'SMS' | 'EMAIL',
  subject: { attributes?: Array<{ name: string; value: string }> } | undefined,
  notifications: Array<{ type: string; recipient: string }> | undefined,
): string | undefined {
  const names = channel === 'SMS' ? ['mobile', 'phone', 'phone-number'] : ['email'];
  const attribute = subject?.attributes?.find((a) => names.includes(a.name.toLowerCase()));
  return attribute?.value ?? notifications?.find((n) => n.type === channel)?.recipient;
}

/** A recipient as shown on pages: enough to recognise, not to read off (`+47•••••567`, `k•••@example.test`). */
export function maskRecipient(recipient: string): string {
  const at = recipient.indexOf('@');
  if (at > 0) return `${recipient[0]}•••${recipient.slice(at)}`;
  return `${recipient.slice(0, 3)}${'•'.repeat(Math.max(recipient.length - 6, 1))}${recipient.slice(-3)}`;
}

/** An attribute of the order's subject that the identity did not confirm, and the claim it was compared with. */
export interface SubjectMismatch {
  attribute: string;
  claim: string;
  /** The ID token (or code) carried no such claim at all. */
  missing: boolean;
}

/**
 * Checks the order's `subject.attributes` against what the identity method returned (contract §7): each attribute
 * that applies to this method must equal its claim, the one the method's provider maps it to (`claims` of its
 * entry), else the usual claim for that attribute name. Returns those that do not match.
 */
export function subjectMismatches(
  attributes: Array<{ name: string; value: string; methods?: string[] }> | undefined,
  method: string,
  claims: Record<string, string>,
  mapping: Record<string, string> = {},
): SubjectMismatch[] {
  return (attributes ?? [])
    .filter((a) => !a.methods?.length || a.methods.includes(method))
    .flatMap((a) => {
      const claim =
        mapping[a.name] ??
        mapping[a.name.toLowerCase()] ??
        ATTRIBUTE_CLAIMS[a.name.toLowerCase()] ??
        a.name.replace(/-/g, '_');
      const value = claims[claim];
      if (value !== undefined && value.trim() === a.value.trim()) return [];
      return [{ attribute: a.name, claim, missing: value === undefined }];
    });
}

/** A refusal's reason for the task's events: which attributes failed, and which claims were missing (no values). */
export function mismatchReason(mismatches: SubjectMismatch[]): string {
  const parts = mismatches.map((m) =>
    m.missing
      ? `${m.attribute} (the identity carries no claim ${m.claim})`
      : `${m.attribute} (claim ${m.claim} differs)`,
  );
  return `identity did not match the order's subject: ${parts.join(', ')}`;
}
