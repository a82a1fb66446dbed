import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseIdentityProviders } from '@esign/config';
import { describe, expect, it } from 'vitest';
import { rendered, renderedChart, ROOT, WORKERS } from './helm/chart.js';
import {
  expectAutoscaled,
  expectHardenedDeployments,
  expectOperatorPorts,
  searchAttributeJob,
} from './helm/expectations.js';
import {
  component,
  ofKind,
  routes,
  type DataManifest,
  type Ingress,
  type Manifest,
  type Workload,
} from './helm/manifests.js';

// The properties the chart promises, asserted on the manifests rendered with the default and the production values.
describe('Helm chart deploy/helm/esign', () => {
  renderedChart();

  it.each(['defaults', 'production'] as const)(
    '%s: every Deployment has probes, resources, security contexts and a PDB; HPAs for gateway and workers',
    (which) => {
      const r = rendered(which);
      expectHardenedDeployments(r);
      expectOperatorPorts(r);
      expectAutoscaled(r);
      const [sa] = ofKind<Manifest & { automountServiceAccountToken?: boolean }>(r, 'ServiceAccount');
      expect(sa?.automountServiceAccountToken).toBe(false);
      const policies = ofKind<Manifest & { spec: { policyTypes: string[]; ingress?: unknown[] } }>(r, 'NetworkPolicy');
      const deny = policies.find((p) => p.metadata.name.endsWith('-default-deny'));
      expect(deny?.spec.policyTypes).toContain('Ingress');
      expect(deny?.spec.ingress).toBeUndefined();
      const job = searchAttributeJob(r);
      expect(job.spec.template.spec.securityContext).toMatchObject({ runAsNonRoot: true });
      expect(job.spec.template.spec.containers[0]?.securityContext).toMatchObject({ readOnlyRootFilesystem: true });
    },
  );

  it('defaults: a demo with the identity service, its Secrets rendered, and no Secret value in a ConfigMap', () => {
    const defaults = rendered('defaults');
    const deployments = ofKind<Workload>(defaults, 'Deployment').map((d) => component(d));
    expect(deployments.sort()).toEqual(
      ['gateway', 'signing-portal', 'identity', ...WORKERS].sort((a, b) => a.localeCompare(b)),
    );
    const secrets = ofKind<DataManifest>(defaults, 'Secret');
    expect(secrets.length).toBeGreaterThan(0);
    const secretKeys = new Set<string>();
    const secretValues: string[] = [];
    for (const s of secrets) {
      for (const [k, v] of Object.entries(s.data ?? {})) {
        secretKeys.add(k);
        secretValues.push(Buffer.from(v, 'base64').toString('utf8'));
      }
      for (const [k, v] of Object.entries(s.stringData ?? {})) {
        secretKeys.add(k);
        secretValues.push(v);
      }
    }
    for (const k of ['REDIS_URL', 'S3_SECRET_KEY', 'TWILIO_AUTH_TOKEN', 'SIGN_CODE_SECRET', 'PAYLOAD_KEYS']) {
      expect(secretKeys.has(k), `Secret key ${k}`).toBe(true);
    }
    const configMaps = ofKind<DataManifest>(defaults, 'ConfigMap');
    expect(configMaps.length).toBeGreaterThan(0);
    for (const cm of configMaps) {
      for (const [k, v] of Object.entries(cm.data ?? {})) {
        expect(secretKeys.has(k), `ConfigMap ${cm.metadata.name} key ${k} is a Secret key`).toBe(false);
        for (const secret of secretValues) {
          expect(v.includes(secret), `ConfigMap ${cm.metadata.name} key ${k} holds a Secret value`).toBe(false);
        }
      }
    }
    const [config] = configMaps;
    expect(config?.data).toMatchObject({
      HOST: '0.0.0.0',
      AUTH_ISSUER: 'http://api.esign.localhost/auth/open',
      DIAGNOSTICS_ENABLED: 'false',
      GATEWAY_OPERATOR_PORT: '9105',
      PORTAL_OPERATOR_PORT: '9106',
      // The token endpoint's throttle: behind the ingress controller and the gateway's proxy, two hops.
      IDENTITY_AUTH_FAILURES_PER_ADDRESS: '10',
      IDENTITY_AUTH_FAILURES_PER_CLIENT: '20',
      IDENTITY_AUTH_FAILURE_WINDOW_SECONDS: '300',
      IDENTITY_TRUSTED_PROXY_HOPS: '2',
    });
    expect(config?.data?.EMAIL_SENDER_ALLOWLIST, 'no sender allowed by default').toBeUndefined();
    // No identity method by default: a real install names its eID broker (no test eID ships with the chart).
    expect(JSON.parse(config?.data?.IDENTITY_PROVIDERS ?? '')).toEqual({ methods: {} });
    expect(config?.data?.AUTH_PROXY_TARGET).toMatch(/^http:\/\/esign-identity:\d+$/);
    // Only the API, the token endpoint, the portal's pages and its static files are public.
    expect(routes(ofKind<Ingress>(defaults, 'Ingress')[0])).toEqual({
      'api.esign.localhost': [
        '/enterprise/sign (Prefix) → esign-gateway:http',
        '/auth/open (Prefix) → esign-gateway:http',
      ],
      'sign.esign.localhost': [
        '/std (Prefix) → esign-signing-portal:http',
        '/static (Prefix) → esign-signing-portal:http',
      ],
    });
  });

  it('no test identities in the defaults or the production values: no test eID people, client or method', () => {
    const people = (
      JSON.parse(readFileSync(join(ROOT, 'services/identity/dev-identities.json'), 'utf8')) as {
        identities: Array<{ nationalId: string; name: string }>;
      }
    ).identities;
    for (const which of ['defaults', 'production'] as const) {
      const text = readFileSync(rendered(which).file, 'utf8');
      for (const p of people) {
        expect(text, `${which}: ${p.name}`).not.toContain(p.nationalId);
        expect(text, `${which}: ${p.name}`).not.toContain(p.name);
      }
      expect(text).not.toMatch(/IDENTITY_TEST_IDENTITIES_FILE|signing-portal"|test-eid|Test eID/i);
    }
  });

  it('production: external issuer, no identity service, TLS everywhere, Secrets from existing Secrets', () => {
    const production = rendered('production');
    const deployments = ofKind<Workload>(production, 'Deployment');
    expect(deployments.map((d) => component(d))).not.toContain('identity');
    expect(ofKind(production, 'Secret'), 'every secret comes from an existing Secret').toHaveLength(0);
    for (const [name, hpa] of expectAutoscaled(production)) {
      expect(hpa.spec.minReplicas, `${name} minReplicas`).toBeGreaterThanOrEqual(3);
    }
    const [config] = ofKind<DataManifest>(production, 'ConfigMap');
    expect(config?.data).toMatchObject({
      AUTH_ISSUER: 'https://login.example.com/realms/esign',
      TEMPORAL_TLS: 'true',
      DIAGNOSTICS_ENABLED: 'false',
      TWILIO_API_URL: 'https://api.twilio.com',
      SMTP_SECURE: 'true',
    });
    expect(config?.data?.S3_ENDPOINT).toMatch(/^https:/);
    expect(JSON.parse(config?.data?.EMAIL_SENDER_ALLOWLIST ?? '{}')).toEqual({
      acme: ['noreply@acme.example.com', '@mail.acme.example.com'],
    });
    expect(config?.data?.AUTH_PROXY_TARGET).toBeUndefined();
    // The identity providers as the services read them; their client secret reaches the portal pods only.
    const providers = parseIdentityProviders(config?.data?.IDENTITY_PROVIDERS ?? '');
    expect(providers.ok && [...providers.value.keys()]).toEqual(['nbid-sign', 'sbid-sign', 'sms-otp']);
    const secretRefs = (name: string) =>
      (
        (
          deployments.find((d) => component(d) === name)!.spec.template.spec.containers[0] as {
            envFrom?: Array<{ secretRef?: { name: string } }>;
          }
        ).envFrom ?? []
      ).flatMap((e) => (e.secretRef ? [e.secretRef.name] : []));
    expect(secretRefs('signing-portal')).toContain('esign-identity-providers');
    expect(secretRefs('gateway')).not.toContain('esign-identity-providers');
    const gateway = deployments.find((d) => component(d) === 'gateway')!;
    const env = gateway.spec.template.spec.containers[0]?.env ?? [];
    expect(env.find((e) => e.name === 'TEMPORAL_API_KEY')?.valueFrom?.secretKeyRef?.name).toBe(
      'esign-temporal-api-key',
    );
    // The Temporal payload keys, from their own Secret, in every service (each one encrypts and decrypts payloads).
    for (const d of deployments) {
      const from = (d.spec.template.spec.containers[0] as { envFrom?: Array<{ secretRef?: { name: string } }> })
        .envFrom;
      expect(
        from?.map((f) => f.secretRef?.name),
        component(d),
      ).toContain('esign-payload-keys');
    }
    const job = searchAttributeJob(production);
    const jobContainer = job.spec.template.spec.containers[0]!;
    expect(jobContainer.command?.join('\n')).toContain('--tls');
    expect(jobContainer.env?.find((e) => e.name === 'TEMPORAL_API_KEY')?.valueFrom?.secretKeyRef?.name).toBe(
      'esign-temporal-api-key',
    );
    const [ingress] = ofKind<Ingress>(production, 'Ingress');
    const hosts = ingress?.spec.rules.map((r) => r.host);
    expect(hosts).toEqual(['api.sign.example.com', 'portal.sign.example.com']);
    expect(ingress?.spec.tls?.flatMap((t) => t.hosts)).toEqual(hosts);
    // No bundled identity service: no /auth/open either.
    expect(routes(ingress)['api.sign.example.com']).toEqual(['/enterprise/sign (Prefix) → esign-gateway:http']);
  });
});
