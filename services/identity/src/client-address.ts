import type { IncomingMessage } from 'node:http';
import { isIPv6 } from 'node:net';

/**
 * The address a request came from, as counted by the token endpoint's throttle. With `trustedHops` proxies in front
 * (the gateway's `/auth/open` proxy, an ingress controller), each appending the address it saw to
 * `X-Forwarded-For`, the client is the `trustedHops`-th entry from the right; entries left of it were written by the
 * client and are ignored. Fewer entries than hops (a request that bypassed a proxy): the leftmost; none: the socket.
 * IPv6 addresses count per /64, the block one subscriber usually holds.
 */
export function clientAddress(req: IncomingMessage, trustedHops: number): string {
  const header = req.headers['x-forwarded-for'];
  const chain = (Array.isArray(header) ? header.join(',') : (header ?? ''))
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  const forwarded = trustedHops > 0 ? chain[Math.max(0, chain.length - trustedHops)] : undefined;
  return normalizeAddress(forwarded ?? req.socket.remoteAddress ?? 'unknown');
}

/** IPv4-mapped IPv6 as IPv4; other IPv6 as its /64 prefix; anything else as given (lower case). */
export function normalizeAddress(address: string): string {
  const plain = address.toLowerCase().replace(/^\[|\]$/g, '');
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/.exec(plain);
  if (mapped) return mapped[1]!;
  if (!isIPv6(plain)) return plain;
  const [head = '', tail] = plain.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups =
    tail === undefined ? left : [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right];
  return `${groups
    .slice(0, 4)
    .map((g) => g.replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}
