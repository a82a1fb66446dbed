import { promises as dns, type LookupAddress } from 'node:dns';
import { isIP, type LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';

/** Which non-public targets this server may call (the dev stack allows loopback; production allows neither). */
export interface UrlPolicy {
  allowLoopback: boolean;
  allowPrivate: boolean;
}

/**
 * - `public`: globally routable unicast.
 * - `loopback`: 127/8, ::1.
 * - `private`: RFC 1918, CGNAT 100.64/10, IPv6 unique-local fc00::/7.
 * - `forbidden`: never called, whatever the policy: link-local, cloud metadata, unspecified, multicast, broadcast,
 *   reserved and documentation ranges, and anything that does not parse.
 */
export type AddressClass = 'public' | 'loopback' | 'private' | 'forbidden';

/** Resolves a host name to all its addresses, like `dns.promises.lookup(host, { all: true })`. */
export type LookupFn = (hostname: string) => Promise<LookupAddress[]>;

/** `code` of the error a guarded connection fails with when its target resolves to a refused address. */
export const ERR_URL_FORBIDDEN_TARGET = 'ERR_URL_FORBIDDEN_TARGET';

export class ForbiddenTargetError extends Error {
  readonly code = ERR_URL_FORBIDDEN_TARGET;
  constructor(reason: string) {
    super(`target ${reason}`);
    this.name = 'ForbiddenTargetError';
  }
}

export function isForbiddenTargetError(err: unknown): err is ForbiddenTargetError {
  return (err as { code?: unknown } | null)?.code === ERR_URL_FORBIDDEN_TARGET;
}

const defaultLookup: LookupFn = (hostname) => dns.lookup(hostname, { all: true });

// Cloud metadata services. 169.254.169.254 (AWS, GCP, Azure, OCI…) is link-local and refused as such; these are
// named so that the ones inside otherwise allowable ranges (ULA, CGNAT, and Azure's WireServer 168.63.129.16, a
// public address every Azure VM reaches) are refused too.
const METADATA_ADDRESSES = ['169.254.169.254', 'fd00:ec2::254', '100.100.100.200', '168.63.129.16'].map((a) =>
  ipaddr.parse(a).toNormalizedString(),
);
// Names that reach a metadata service through the platform's resolver, refused before any lookup.
const METADATA_HOSTNAMES = new Set([
  'metadata',
  'metadata.google.internal',
  'metadata.goog',
  'instance-data',
  'instance-data.ec2.internal',
]);

const NAT64 = ipaddr.parseCIDR('64:ff9b::/96');
const GLOBAL_UNICAST_V6 = ipaddr.parseCIDR('2000::/3');

const REASONS = {
  metadata: 'must not point at a link-local or cloud metadata address',
  reserved: 'must not point at a reserved, multicast or unspecified address',
  loopback: "must not point at a loopback address (not allowed by this server's configuration)",
  private: "must not point at a private network address (not allowed by this server's configuration)",
} as const;

function classifyV4(a: ipaddr.IPv4): AddressClass {
  if (METADATA_ADDRESSES.includes(a.toNormalizedString())) return 'forbidden';
  switch (a.range()) {
    case 'unicast':
      return 'public';
    case 'loopback':
      return 'loopback';
    case 'private':
    case 'carrierGradeNat':
      return 'private';
    default:
      return 'forbidden';
  }
}

/** The IPv4 address an IPv6 address stands for (mapped, NAT64, 6to4), if any. */
function embeddedV4(a: ipaddr.IPv6): ipaddr.IPv4 | undefined {
  if (a.isIPv4MappedAddress()) return a.toIPv4Address();
  const p = a.parts;
  const v4 = (hi: number, lo: number) => new ipaddr.IPv4([hi >> 8, hi & 0xff, lo >> 8, lo & 0xff]);
  if (a.match(NAT64)) return v4(p[6]!, p[7]!);
  if (a.range() === '6to4') return v4(p[1]!, p[2]!);
  return undefined;
}

function classifyV6(a: ipaddr.IPv6): AddressClass {
  const v4 = embeddedV4(a);
  if (v4) return classifyV4(v4);
  if (METADATA_ADDRESSES.includes(a.toNormalizedString())) return 'forbidden';
  switch (a.range()) {
    case 'loopback':
      return 'loopback';
    case 'uniqueLocal':
      return 'private';
    case 'unicast':
      // Only 2000::/3 is allocated for global unicast; the rest (IPv4-compatible ::/96 and friends) is refused.
      return a.match(GLOBAL_UNICAST_V6) ? 'public' : 'forbidden';
    default:
      return 'forbidden';
  }
}

function parseAddress(ip: string): ipaddr.IPv4 | ipaddr.IPv6 | undefined {
  const bare = ip.startsWith('[') && ip.endsWith(']') ? ip.slice(1, -1) : ip;
  try {
    return ipaddr.parse(bare);
  } catch {
    return undefined;
  }
}

/** Classifies an IP address literal; IPv4-mapped (and NAT64, 6to4) IPv6 addresses as the IPv4 address inside. */
export function classifyAddress(ip: string): AddressClass {
  const a = parseAddress(ip);
  if (!a) return 'forbidden';
  return a.kind() === 'ipv4' ? classifyV4(a as ipaddr.IPv4) : classifyV6(a as ipaddr.IPv6);
}

function isLinkLocalOrMetadata(ip: string): boolean {
  const a = parseAddress(ip);
  if (!a) return false;
  const v4 = a.kind() === 'ipv6' ? embeddedV4(a as ipaddr.IPv6) : (a as ipaddr.IPv4);
  const target = v4 ?? a;
  return target.range() === 'linkLocal' || METADATA_ADDRESSES.includes(target.toNormalizedString());
}

/** Why the policy refuses this address, or null when it may be called. */
function addressRefusal(ip: string, policy: UrlPolicy): string | null {
  switch (classifyAddress(ip)) {
    case 'public':
      return null;
    case 'loopback':
      return policy.allowLoopback ? null : REASONS.loopback;
    case 'private':
      return policy.allowPrivate ? null : REASONS.private;
    case 'forbidden':
      return isLinkLocalOrMetadata(ip) ? REASONS.metadata : REASONS.reserved;
  }
}

/** RFC 6761: `localhost` and every name under it are loopback, whatever a resolver says. */
function isLocalhostName(hostname: string): boolean {
  return hostname === 'localhost' || hostname.endsWith('.localhost');
}

function normalizeHostname(hostname: string): string {
  return hostname.toLowerCase().replace(/\.+$/, '');
}

type Inspection = { refused: string } | { refused: null; resolve: string | null };

/** Every check that needs no DNS; `resolve` names the host still to be resolved and checked. */
function inspect(url: string, policy: UrlPolicy): Inspection {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { refused: 'must be an absolute http or https URL' };
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return { refused: 'must use http or https' };
  if (parsed.username || parsed.password) return { refused: 'must not contain a user name or password' };
  const host = normalizeHostname(parsed.hostname);
  if (!host) return { refused: 'must be an absolute http or https URL' };
  // The WHATWG parser already turned numeric forms like 2130706433 or 0x7f.1 into dotted IPv4.
  if (host.startsWith('[') || isIP(host)) return { refused: addressRefusal(host, policy), resolve: null };
  if (METADATA_HOSTNAMES.has(host)) return { refused: REASONS.metadata };
  if (isLocalhostName(host)) return { refused: policy.allowLoopback ? null : REASONS.loopback, resolve: null };
  return { refused: null, resolve: host };
}

/**
 * The checks of {@link checkNotificationUrl} that need no DNS (scheme, credentials, metadata names, IP literals,
 * localhost): what a sender checks before connecting through {@link guardedLookup}, which checks the rest.
 */
export function checkNotificationUrlSyntax(url: string, policy: UrlPolicy): string | null {
  return inspect(url, policy).refused;
}

/**
 * Whether a URL notification may call this URL: null when allowed, else why not (a phrase that follows the name of
 * the field, e.g. "must not point at a loopback address (…)"). A host name is resolved and refused when any of its
 * addresses is; one that does not resolve is allowed here, since it is checked again when the request connects.
 */
export async function checkNotificationUrl(
  url: string,
  policy: UrlPolicy,
  lookup: LookupFn = defaultLookup,
): Promise<string | null> {
  const inspection = inspect(url, policy);
  if (inspection.refused !== null || inspection.resolve === null) return inspection.refused;
  // A slow resolver must not hold an order's creation: past the limit, the send-time check decides.
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), CREATION_LOOKUP_LIMIT_MS)));
  try {
    const addresses = await Promise.race([lookup(inspection.resolve), late]);
    return addresses ? firstRefusal(addresses, policy) : null;
  } catch {
    return null;
  } finally {
    clearTimeout(timer);
  }
}

const CREATION_LOOKUP_LIMIT_MS = 2000;

function firstRefusal(addresses: LookupAddress[], policy: UrlPolicy): string | null {
  for (const { address } of addresses) {
    const refusal = addressRefusal(address, policy);
    if (refusal) return refusal;
  }
  return null;
}

async function resolveAllowed(hostname: string, policy: UrlPolicy, lookup: LookupFn): Promise<LookupAddress[]> {
  const host = normalizeHostname(hostname);
  let addresses: LookupAddress[];
  if (isIP(host)) addresses = [{ address: host, family: isIP(host) }];
  else if (METADATA_HOSTNAMES.has(host)) throw new ForbiddenTargetError(REASONS.metadata);
  else if (isLocalhostName(host)) {
    addresses = [
      { address: '127.0.0.1', family: 4 },
      { address: '::1', family: 6 },
    ];
  } else addresses = await lookup(host);
  const refusal = firstRefusal(addresses, policy);
  if (refusal) throw new ForbiddenTargetError(refusal);
  return addresses;
}

function notFound(hostname: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND', hostname });
}

/**
 * A `lookup` for `http.request`/`net.connect` (or an Agent) that resolves the host and refuses to connect when any
 * of its addresses is not allowed, failing with a {@link ForbiddenTargetError} (`code` ERR_URL_FORBIDDEN_TARGET).
 * The address checked is the address connected to, so DNS rebinding cannot slip past the check. Node does not
 * call `lookup` for IP literals: check those with {@link checkNotificationUrlSyntax} first.
 */
export function guardedLookup(policy: UrlPolicy, lookup: LookupFn = defaultLookup): LookupFunction {
  return (hostname, options, callback) => {
    resolveAllowed(hostname, policy, lookup).then(
      (all) => {
        const family = options.family === 'IPv4' ? 4 : options.family === 'IPv6' ? 6 : (options.family ?? 0);
        const addresses = family ? all.filter((a) => a.family === family) : all;
        const first = addresses[0];
        if (!first) callback(notFound(hostname), []);
        else if (options.all) callback(null, addresses);
        else callback(null, first.address, first.family);
      },
      (err: NodeJS.ErrnoException) => callback(err, []),
    );
  };
}
