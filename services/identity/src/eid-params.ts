// The test eID's authorization parameters: the identity method (acr_values) and the documents a signed statement
// covers (esign_digests). Pure functions: the provider configuration turns their messages into OAuth errors.

/** An identity method name as the platform configures it: `nbid`, `nbid-sign`, `sbid-sign`, `mitid`, `ftn-sign`, … */
export const METHOD_PATTERN = /^[A-Za-z0-9_.-]{1,64}$/;

/** The method names the README example uses; advertised as `acr_values_supported`, though any valid name works. */
export const KNOWN_METHODS = [
  'nbid',
  'nbid-sign',
  'sbid',
  'sbid-sign',
  'nemid',
  'nemid-sign',
  'mitid',
  'mitid-sign',
  'ftn',
  'ftn-sign',
] as const;

export const MAX_DIGESTS = 50;
const DIGEST_PATTERN = /^[0-9a-f]{64}$/;

/** The claim (and authorization parameter) that carries the SHA-256 digests of the documents being signed. */
export const DIGESTS_CLAIM = 'esign_digests';

export class EidParamError extends Error {}

/**
 * The identity method of a request: the first of its `acr_values` (space-separated, in order of preference). Every
 * value must be a valid method name; at least one is required, since the method is what the login page shows and
 * what the ID token's `acr` says.
 */
export function methodOf(acrValues: string | undefined): string {
  const values = (acrValues ?? '').split(' ').filter(Boolean);
  if (!values.length) throw new EidParamError('acr_values is required: the identity method, e.g. nbid-sign');
  const bad = values.find((v) => !METHOD_PATTERN.test(v));
  if (bad !== undefined) throw new EidParamError('acr_values must be method names of 1 to 64 letters, digits, . _ -');
  return values[0]!;
}

/** Validates a list of digests: 1 to 50 lowercase hex SHA-256 values. */
export function checkDigests(digests: readonly unknown[]): string[] {
  if (digests.length < 1 || digests.length > MAX_DIGESTS) {
    throw new EidParamError(`${DIGESTS_CLAIM} must hold 1 to ${MAX_DIGESTS} SHA-256 digests`);
  }
  for (const d of digests) {
    if (typeof d !== 'string' || !DIGEST_PATTERN.test(d)) {
      throw new EidParamError(`${DIGESTS_CLAIM} must be lowercase hex SHA-256 digests (64 characters each)`);
    }
  }
  return digests as string[];
}

/** Parses the `esign_digests` parameter: comma-separated lowercase hex SHA-256 digests, at most 50. */
export function parseDigestsParam(value: string): string[] {
  // Bounded before splitting: 50 digests and their commas.
  if (value.length > MAX_DIGESTS * 65) {
    throw new EidParamError(`${DIGESTS_CLAIM} must hold 1 to ${MAX_DIGESTS} SHA-256 digests`);
  }
  return checkDigests(value.split(','));
}

type ClaimsRequest = Record<string, unknown> & { id_token?: Record<string, unknown> };

/** The OIDC `claims` request member that asks for the digests in the ID token (OIDC Core §5.5.1). */
export const digestsClaimRequest = (digests: readonly string[]) => ({ essential: true, values: [...digests] });

/**
 * Folds the digests into the request's `claims` parameter (JSON), so that they travel with the authorization request
 * through the login and into the authorization code like any requested claim. A `claims` parameter that already
 * asks for the claim is refused (two sources for one statement).
 */
export function withDigestsClaim(claimsParam: string | undefined, digests: readonly string[]): string {
  const claims = (claimsParam ? JSON.parse(claimsParam) : {}) as ClaimsRequest;
  if (claims.id_token && DIGESTS_CLAIM in claims.id_token) {
    throw new EidParamError(`${DIGESTS_CLAIM} must not be requested both as a parameter and in claims`);
  }
  return JSON.stringify({ ...claims, id_token: { ...claims.id_token, [DIGESTS_CLAIM]: digestsClaimRequest(digests) } });
}

/**
 * Checks a `claims` parameter's request for the digests claim (a portal may also ask for it directly): it must be
 * an object whose `values` are valid digests, and only in the ID token.
 */
export function checkClaimsRequest(claims: ClaimsRequest & { userinfo?: Record<string, unknown> }): void {
  if (claims.userinfo && DIGESTS_CLAIM in claims.userinfo) {
    throw new EidParamError(`${DIGESTS_CLAIM} is only available in the ID token`);
  }
  const member = claims.id_token?.[DIGESTS_CLAIM];
  if (member === undefined) return;
  const values = (member as { values?: unknown } | null)?.values;
  if (!Array.isArray(values)) throw new EidParamError(`claims.id_token.${DIGESTS_CLAIM} needs values`);
  checkDigests(values);
}

/** The digests a (validated) claims request member asks for, or undefined. */
export function requestedDigests(member: unknown): string[] | undefined {
  const values = (member as { values?: unknown } | null | undefined)?.values;
  if (!Array.isArray(values)) return undefined;
  try {
    return checkDigests(values);
  } catch {
    return undefined;
  }
}
