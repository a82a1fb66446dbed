import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatFindings, projectNeedles, scanLogs } from '../support/log-scan.js';

const JWT =
  'eyJhbGciOiJSUzI1NiIsInR5cCI6ImF0K2p3dCJ9.eyJzdWIiOiJkZW1vLW1lcmNoYW50Iiwic2NvcGUiOiJzaWduaWNhdC1hcGkifQ.' +
  'c2lnbmF0dXJlLW9mLXRoZS10b2tlbi1oZXJlLXNpZ25hdHVyZQ';
const ENV = {
  S3_SECRET_KEY: 'prod-s3-secret-value',
  SIGN_CODE_SECRET: 'a-very-secret-sign-code-key',
  REDIS_URL: 'redis://:redis-pass-123@10.0.0.5:6379',
  GATEWAY_PORT: '8080',
};

// Lines a service really logs: none of them is a secret or personal data.
const CLEAN = [
  '{"level":"info","time":"2026-11-29T08:02:22.161Z","service":"identity","port":33629,"issuer":"http://127.0.0.1:45575/auth/open","clients":3,"kid":"hWUFdjQFO6p3yhPPFqAC3bb0zl-KINmzUJq1_9il90A","msg":"identity provider listening"}',
  '{"level":"info","service":"identity","clientId":"demo-merchant","msg":"token issued"}',
  '{"level":"info","service":"identity","clientId":"esign-portal","sub":"test-eid-d7392f468114a5c683e544b10647eddd","method":"nbid-sign","msg":"test eID login"}',
  '{"level":"warn","service":"gateway","status":503,"traceId":"066eb9854d24966354a2a4b86a1e3811","detail":"The token service is unavailable.","msg":"request failed"}',
  'WWW-Authenticate: Bearer realm="signicat-api", error="invalid_token"',
  '    at decodeParam (/work/main/node_modules/.pnpm/router@2.3.0_supports-color@8.1.1/node_modules/router/lib/layer.js:332:12)',
  '2026-11-29T08:02:21.005Z [INFO] Worker state changed { sdkComponent: "worker", taskQueue: "archive", state: "RUNNING" }',
  'order-NNp780RBYAkQ3uKazlLDAQ task signer1 timer 1701012345678 fired, expires 2026-12-29T08:00:00+00:00',
  '{"level":"info","msg":"delivered","to":"[redacted]","client_secret":"[redacted]","password":"[redacted]"}',
  // The SDK's warning with a gRPC status: its details hold a protobuf type URL right after an escaped newline.
  'WARN Activity not found on completion. details: b"\\x08\\x05\\x12\\x1aB\\n@type.googleapis.com/temporal.api.errordetails.v1.NotFoundFailure"',
];

// Each planted line and the kind of finding it must give.
const PLANTED: Array<[string, string]> = [
  [`{"msg":"token issued","access_token":"${JWT}"}`, 'JWT'],
  ['authorization: Bearer abcdefghijklmnopqrstuvwxyz0123', 'bearer token'],
  ['authorization: Basic ZGVtby1tZXJjaGFudDpkZW1vLXNlY3JldA==', 'basic credentials'],
  ['{"msg":"client authenticated","clientSecret":"demo-secret"}', 'client secret'],
  ['grant_type=client_credentials&client_id=x&client_secret=s3cr3tvalue', 'client secret parameter'],
  ['{"config":{"signCodeSecret":"esign-dev-sign-code-secret"}}', 'configured secret'],
  ['{"s3":{"secretKey":"prod-s3-secret-value"}}', 'configured secret'],
  ['connecting to redis-pass-123 failed', 'credential in a URL'],
  ['{"msg":"signer identified","national_id":"01017012345"}', 'national id'],
  ['{"msg":"signer identified","ssn":"070777-1234"}', 'national id'],
  ['{"msg":"signer identified","name":"Kari Nordmann"}', 'person name'],
  ['{"msg":"mail sent","to":"signer-xyz@example.test"}', 'e-mail address'],
  ['{"msg":"mail sent","to":"type@googleapis.com.example"}', 'e-mail address'],
  ['{"msg":"sms sent","to":"+4791234567"}', 'phone number'],
  ['Cookie: esign_portal=Zm9vYmFyYmF6cXV4cXV1eA', 'portal session cookie'],
  ['GET /std/docaction?sign_code=q1w2e3r4t5y6u7i8o9p0a1s2d3f4g5h6j7k8l9z0x1c', 'sign code'],
  ['-----BEGIN PRIVATE KEY-----', 'private key'],
];

describe('log scan for secrets and personal data', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'log-scan-'));
    writeFileSync(join(dir, 'clean.log'), CLEAN.join('\n'));
    mkdirSync(join(dir, 'nested'));
    writeFileSync(join(dir, 'nested', 'leaky.log'), ['first line is fine', ...PLANTED.map(([l]) => l)].join('\n'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('finds every planted secret and piece of personal data, at its file and line', () => {
    const findings = scanLogs(dir, projectNeedles(ENV));
    for (const [i, [, kind]] of PLANTED.entries()) {
      const at = findings.filter((f) => f.file === join('nested', 'leaky.log') && f.line === i + 2);
      expect(
        at.map((f) => f.kind),
        PLANTED[i]![0],
      ).toContain(kind);
    }
  });

  it('reports nothing for the clean lines, and counts what it read', () => {
    const stats = { files: 0, lines: 0 };
    const findings = scanLogs(dir, projectNeedles(ENV), stats).filter((f) => f.file === 'clean.log');
    expect(stats).toEqual({ files: 2, lines: CLEAN.length + PLANTED.length + 1 });
    expect(formatFindings(findings)).toBe('');
    expect(findings).toEqual([]);
  });

  it('masks what it found: the report never repeats a secret', () => {
    const report = formatFindings(scanLogs(dir, projectNeedles(ENV)));
    expect(report).toContain('nested/leaky.log:2: JWT eyJ…');
    for (const secret of [JWT, 'demo-secret', 'prod-s3-secret-value', '01017012345', 'Kari Nordmann', '+4791234567']) {
      expect(report).not.toContain(secret);
    }
  });

  it('matches a national id as a whole number only', () => {
    writeFileSync(join(dir, 'numbers.log'), 'epoch 1010170123456 and id 01017012345x and 01017012345\n');
    const ids = scanLogs(dir, projectNeedles(ENV)).filter((f) => f.file === 'numbers.log');
    expect(ids.map((f) => `${f.kind} ${f.masked}`)).toEqual(['national id 010…(11 chars)']);
  });
});
