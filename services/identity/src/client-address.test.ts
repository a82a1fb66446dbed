import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { clientAddress, normalizeAddress } from './client-address.js';

const request = (remoteAddress: string, forwardedFor?: string | string[]) =>
  ({ socket: { remoteAddress }, headers: forwardedFor ? { 'x-forwarded-for': forwardedFor } : {} }) as IncomingMessage;

describe('clientAddress', () => {
  it('takes the entry the trusted proxies appended, never one the client wrote', () => {
    const viaGateway = request('10.0.0.5', '203.0.113.1, 198.51.100.2');
    expect(clientAddress(viaGateway, 1)).toBe('198.51.100.2');
    expect(clientAddress(viaGateway, 2)).toBe('203.0.113.1');
    expect(clientAddress(viaGateway, 0)).toBe('10.0.0.5');
    expect(clientAddress(request('10.0.0.5', ['203.0.113.1', '198.51.100.2']), 1)).toBe('198.51.100.2');
  });

  it('falls back to the leftmost entry, then to the socket, when fewer proxies were passed', () => {
    expect(clientAddress(request('10.0.0.5', '198.51.100.2'), 3)).toBe('198.51.100.2');
    expect(clientAddress(request('::ffff:127.0.0.1'), 1)).toBe('127.0.0.1');
  });
});

describe('normalizeAddress', () => {
  it('groups IPv6 per /64 and unwraps IPv4-mapped addresses', () => {
    expect(normalizeAddress('2001:db8:0:1::42')).toBe('2001:db8:0:1::/64');
    expect(normalizeAddress('2001:DB8:0000:0001:ffff::1')).toBe('2001:db8:0:1::/64');
    expect(normalizeAddress('[2001:db8::1]')).toBe('2001:db8:0:0::/64');
    expect(normalizeAddress('::1')).toBe('0:0:0:0::/64');
    expect(normalizeAddress('::ffff:192.0.2.1')).toBe('192.0.2.1');
    expect(normalizeAddress('192.0.2.1')).toBe('192.0.2.1');
  });
});
