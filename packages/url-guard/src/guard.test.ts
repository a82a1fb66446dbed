import type { LookupAddress } from 'node:dns';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  checkNotificationUrl,
  checkNotificationUrlSyntax,
  classifyAddress,
  ERR_URL_FORBIDDEN_TARGET,
  guardedLookup,
  isForbiddenTargetError,
  type LookupFn,
  type UrlPolicy,
} from './index.js';

const STRICT: UrlPolicy = { allowLoopback: false, allowPrivate: false };
const DEV: UrlPolicy = { allowLoopback: true, allowPrivate: false };
const OPEN: UrlPolicy = { allowLoopback: true, allowPrivate: true };

/** A resolver answering from a table, so no test depends on real DNS. */
function fakeDns(table: Record<string, string[]>): LookupFn {
  return (hostname) => {
    const addresses = table[hostname];
    if (!addresses) return Promise.reject(Object.assign(new Error(`ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' }));
    return Promise.resolve(addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 })));
  };
}

describe('classifyAddress', () => {
  it.each([
    ['8.8.8.8', 'public'],
    ['93.184.216.34', 'public'],
    ['127.0.0.1', 'loopback'],
    ['127.255.0.9', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['100.64.0.1', 'private'],
    ['169.254.1.1', 'forbidden'],
    ['169.254.169.254', 'forbidden'],
    ['100.100.100.200', 'forbidden'],
    ['168.63.129.16', 'forbidden'],
    ['168.63.129.17', 'public'],
    ['0.0.0.0', 'forbidden'],
    ['0.1.2.3', 'forbidden'],
    ['224.0.0.1', 'forbidden'],
    ['239.255.255.250', 'forbidden'],
    ['255.255.255.255', 'forbidden'],
    ['240.0.0.1', 'forbidden'],
    ['192.0.2.10', 'forbidden'],
    ['198.18.0.1', 'forbidden'],
  ])('IPv4 %s is %s', (ip, expected) => {
    expect(classifyAddress(ip)).toBe(expected);
  });

  it.each([
    ['2606:4700:4700::1111', 'public'],
    ['2001:4860:4860::8888', 'public'],
    ['::1', 'loopback'],
    ['[::1]', 'loopback'],
    ['fc00::1', 'private'],
    ['fd12:3456::1', 'private'],
    ['fd00:ec2::254', 'forbidden'],
    ['fe80::1', 'forbidden'],
    ['fe80::1%eth0', 'forbidden'],
    ['febf::1', 'forbidden'],
    ['::', 'forbidden'],
    ['ff02::1', 'forbidden'],
    ['2001:db8::1', 'forbidden'],
    ['::7f00:1', 'forbidden'],
  ])('IPv6 %s is %s', (ip, expected) => {
    expect(classifyAddress(ip)).toBe(expected);
  });

  it.each([
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['::ffff:10.0.0.1', 'private'],
    ['::ffff:169.254.169.254', 'forbidden'],
    ['::ffff:8.8.8.8', 'public'],
    ['64:ff9b::a9fe:a9fe', 'forbidden'],
    ['64:ff9b::808:808', 'public'],
    ['2002:7f00:1::', 'loopback'],
  ])('IPv6 embedding an IPv4 address, %s, is classified as that address: %s', (ip, expected) => {
    expect(classifyAddress(ip)).toBe(expected);
  });

  it('treats what is not an IP address as forbidden', () => {
    expect(classifyAddress('example.com')).toBe('forbidden');
    expect(classifyAddress('')).toBe('forbidden');
  });
});

describe('checkNotificationUrl', () => {
  const dns = fakeDns({
    'hooks.example.com': ['93.184.216.34', '2606:2800:220:1::1'],
    'rebind.example.com': ['93.184.216.34', '169.254.169.254'],
    'intranet.example.com': ['10.0.0.7'],
    'v6-metadata.example.com': ['fd00:ec2::254'],
  });

  it('allows public http and https targets, by IP literal or by name', async () => {
    expect(await checkNotificationUrl('https://hooks.example.com/cb?x=1', STRICT, dns)).toBeNull();
    expect(await checkNotificationUrl('http://93.184.216.34:8080/cb', STRICT, dns)).toBeNull();
    expect(await checkNotificationUrl('http://[2606:4700:4700::1111]/cb', STRICT, dns)).toBeNull();
  });

  it('refuses other schemes, credentials and what is not a URL', async () => {
    expect(await checkNotificationUrl('ftp://hooks.example.com/', STRICT, dns)).toBe('must use http or https');
    expect(await checkNotificationUrl('file:///etc/passwd', STRICT, dns)).toBe('must use http or https');
    expect(await checkNotificationUrl('javascript:alert(1)', STRICT, dns)).toBe('must use http or https');
    expect(await checkNotificationUrl('https://user:pw@hooks.example.com/', STRICT, dns)).toBe(
      'must not contain a user name or password',
    );
    expect(await checkNotificationUrl('https://user@hooks.example.com/', STRICT, dns)).toMatch(/user name/);
    expect(await checkNotificationUrl('/relative/path', STRICT, dns)).toBe('must be an absolute http or https URL');
  });

  it('refuses link-local and cloud metadata targets whatever the policy', async () => {
    const metadata = 'must not point at a link-local or cloud metadata address';
    for (const url of [
      'http://169.254.169.254/latest/meta-data/',
      'http://[fe80::1]/',
      'http://[::ffff:169.254.169.254]/',
      'http://[fd00:ec2::254]/',
      'http://100.100.100.200/',
      'http://168.63.129.16/machine?comp=goalstate',
      'http://metadata.google.internal/computeMetadata/v1/',
      'http://METADATA.google.internal./',
      'http://metadata/',
      'http://v6-metadata.example.com/',
    ]) {
      expect(await checkNotificationUrl(url, OPEN, dns), url).toBe(metadata);
    }
  });

  it('refuses unspecified, multicast, broadcast and reserved targets whatever the policy', async () => {
    for (const url of ['http://0.0.0.0/', 'http://[::]/', 'http://224.0.0.1/', 'http://255.255.255.255/']) {
      expect(await checkNotificationUrl(url, OPEN, dns), url).toBe(
        'must not point at a reserved, multicast or unspecified address',
      );
    }
  });

  it('refuses loopback unless allowed, including localhost names and numeric IPv4 forms', async () => {
    const loopback = "must not point at a loopback address (not allowed by this server's configuration)";
    for (const url of [
      'http://127.0.0.1:8080/',
      'http://[::1]/',
      'http://localhost/',
      'http://api.localhost:3000/',
      'http://2130706433/',
      'http://0x7f.1/',
    ]) {
      expect(await checkNotificationUrl(url, STRICT, dns), url).toBe(loopback);
      expect(await checkNotificationUrl(url, DEV, dns), url).toBeNull();
    }
  });

  it('refuses private targets unless allowed', async () => {
    const priv = "must not point at a private network address (not allowed by this server's configuration)";
    for (const url of ['http://10.0.0.1/', 'http://192.168.0.10/', 'http://100.64.1.1/', 'http://[fd12::1]/']) {
      expect(await checkNotificationUrl(url, DEV, dns), url).toBe(priv);
      expect(await checkNotificationUrl(url, OPEN, dns), url).toBeNull();
    }
    expect(await checkNotificationUrl('http://intranet.example.com/', DEV, dns)).toBe(priv);
    expect(await checkNotificationUrl('http://intranet.example.com/', OPEN, dns)).toBeNull();
  });

  it('refuses a name when any of its addresses is refused', async () => {
    expect(await checkNotificationUrl('https://rebind.example.com/', OPEN, dns)).toMatch(/cloud metadata/);
  });

  it('allows a name that does not resolve (it is checked again at send time)', async () => {
    expect(await checkNotificationUrl('https://hooks.example.test/cb', STRICT, dns)).toBeNull();
    // The real resolver: .test is reserved and never resolves.
    expect(await checkNotificationUrl('https://hooks.example.test/cb', STRICT)).toBeNull();
  });

  it('has a DNS-free variant that leaves names to the guarded lookup', () => {
    expect(checkNotificationUrlSyntax('http://rebind.example.com/', STRICT)).toBeNull();
    expect(checkNotificationUrlSyntax('http://127.0.0.1/', STRICT)).toMatch(/loopback/);
    expect(checkNotificationUrlSyntax('http://metadata.google.internal/', OPEN)).toMatch(/metadata/);
  });
});

describe('guardedLookup', () => {
  function lookupOnce(
    policy: UrlPolicy,
    dns: LookupFn,
    hostname: string,
    options: { all?: boolean; family?: number } = {},
  ): Promise<{ err: NodeJS.ErrnoException | null; address: string | LookupAddress[]; family?: number }> {
    return new Promise((resolve) => {
      guardedLookup(policy, dns)(hostname, options, (err, address, family) => resolve({ err, address, family }));
    });
  }

  it('answers like dns.lookup for allowed names, in both calling conventions', async () => {
    const dns = fakeDns({ 'hooks.example.com': ['93.184.216.34', '2606:2800:220:1::1'] });
    expect(await lookupOnce(STRICT, dns, 'hooks.example.com')).toEqual({
      err: null,
      address: '93.184.216.34',
      family: 4,
    });
    expect((await lookupOnce(STRICT, dns, 'hooks.example.com', { family: 6 })).address).toBe('2606:2800:220:1::1');
    const all = await lookupOnce(STRICT, dns, 'hooks.example.com', { all: true });
    expect(all.address).toHaveLength(2);
  });

  it('refuses a name that now resolves to the metadata service (DNS rebinding)', async () => {
    let answer = '93.184.216.34';
    const rebinding: LookupFn = () => Promise.resolve([{ address: answer, family: 4 }]);
    expect(await checkNotificationUrl('http://rebind.example.com/', STRICT, rebinding)).toBeNull();
    answer = '169.254.169.254';
    const { err } = await lookupOnce(STRICT, rebinding, 'rebind.example.com');
    expect(err?.code).toBe(ERR_URL_FORBIDDEN_TARGET);
    expect(isForbiddenTargetError(err)).toBe(true);
    expect(err?.message).toBe('target must not point at a link-local or cloud metadata address');
  });

  it('refuses loopback and localhost names unless allowed, and metadata names always', async () => {
    const dns = fakeDns({ 'me.example.com': ['127.0.0.1'] });
    expect((await lookupOnce(STRICT, dns, 'me.example.com')).err?.code).toBe(ERR_URL_FORBIDDEN_TARGET);
    expect((await lookupOnce(STRICT, dns, 'localhost')).err?.code).toBe(ERR_URL_FORBIDDEN_TARGET);
    expect(await lookupOnce(DEV, dns, 'app.localhost')).toMatchObject({ err: null, address: '127.0.0.1' });
    expect((await lookupOnce(OPEN, dns, 'metadata.google.internal')).err?.code).toBe(ERR_URL_FORBIDDEN_TARGET);
  });

  it('passes resolver errors through', async () => {
    const { err } = await lookupOnce(STRICT, fakeDns({}), 'nowhere.example.test');
    expect(err?.code).toBe('ENOTFOUND');
  });

  describe('as the lookup of a real HTTP request', () => {
    let server: Server;
    let port: number;
    let hits = 0;
    beforeAll(async () => {
      server = createServer((_req, res) => {
        hits++;
        res.end('ok');
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      port = (server.address() as AddressInfo).port;
    });
    afterAll(async () => {
      await new Promise((resolve) => server.close(resolve));
    });

    function get(policy: UrlPolicy, dns: LookupFn): Promise<number> {
      return new Promise((resolve, reject) => {
        const req = request(
          `http://callback.example.com:${port}/`,
          { lookup: guardedLookup(policy, dns), agent: false },
          (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
          },
        );
        req.on('error', reject);
        req.end();
      });
    }

    it('connects when allowed and fails with ERR_URL_FORBIDDEN_TARGET when not, before any byte is sent', async () => {
      const dns = fakeDns({ 'callback.example.com': ['127.0.0.1'] });
      expect(await get(DEV, dns)).toBe(200);
      expect(hits).toBe(1);
      await expect(get(STRICT, dns)).rejects.toMatchObject({ code: ERR_URL_FORBIDDEN_TARGET });
      expect(hits).toBe(1);
    });
  });
});
