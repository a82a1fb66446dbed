// URL notification targets that reach cloud metadata or other internal addresses, and script URLs.
import { postOrder, urlTo, validOrder, withNotifications } from './requests.js';
import type { CorpusCase } from './types.js';

const SSRF_TARGETS: Array<[string, string, RegExp]> = [
  ['IPv4-mapped IPv6 metadata address', 'http://[::ffff:169.254.169.254]/latest/meta-data/', /metadata/],
  ['hex IPv4-mapped IPv6 metadata address', 'http://[::ffff:a9fe:a9fe]/', /metadata/],
  ['NAT64 metadata address', 'http://[64:ff9b::a9fe:a9fe]/', /metadata/],
  ['decimal metadata address', 'http://2852039166/', /metadata/],
  ['octal metadata address', 'http://0251.0376.0251.0376/', /metadata/],
  ['hex metadata address', 'http://0xa9.0xfe.0xa9.0xfe/', /metadata/],
  ['metadata host name with a trailing dot', 'http://metadata.google.internal./computeMetadata/v1/', /metadata/],
  ['metadata host name in capitals', 'http://METADATA.GOOGLE.INTERNAL/', /metadata/],
  ['metadata host name in full-width letters', 'http://ｍｅｔａｄａｔａ.google.internal/', /metadata/],
  ['AWS IPv6 metadata address', 'http://[fd00:ec2::254]/', /metadata/],
  ['Alibaba Cloud metadata address', 'http://100.100.100.200/latest/meta-data/', /metadata/],
  ['link-local address', 'http://169.254.1.1/', /link-local/],
  ['unspecified address 0.0.0.0', 'http://0.0.0.0/', /unspecified/],
  ['unspecified IPv6 address', 'http://[::]/', /unspecified/],
  ['multicast address', 'http://224.0.0.1/', /multicast/],
  ['user info hiding the metadata host', 'http://example.test@169.254.169.254/', /user name/],
  ['gopher URL to Redis', 'gopher://127.0.0.1:6379/_FLUSHALL', /http/],
  ['file URL', 'file:///etc/passwd', /http/],
];

export const ssrfCases: CorpusCase[] = [
  ...SSRF_TARGETS.map(([name, target, says]) => ({
    name: `URL notification to a ${name}`,
    group: 'ssrf' as const,
    request: withNotifications(urlTo(target)),
    status: 400,
    violationAt: 'tasks[0].notifications[0].recipient',
    says,
  })),
  {
    name: 'a javascript: redirect after signing',
    group: 'ssrf',
    request: postOrder((ctx) =>
      JSON.stringify(validOrder(ctx, { onTaskComplete: 'javascript:alert(document.domain)' })),
    ),
    status: 400,
    violationAt: 'tasks[0].onTaskComplete',
  },
];
