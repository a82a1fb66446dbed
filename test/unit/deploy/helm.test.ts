import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseIdentityProviders } from '@esign/config';
import { SEARCH_ATTRIBUTES } from '@esign/temporal-contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { ROOT, toolPath } from '../../../scripts/tools.mjs';

// The Helm chart's CI checks, offline: `helm lint --strict` and `helm template` with the default values and a
// production-like values file, the rendered manifests validated against the Kubernetes 1.33 schemas bundled in
// kubernetes-validate, and the properties the chart promises asserted on the parsed manifests.

const CHART = join(ROOT, 'deploy', 'helm', 'esign');
const PRODUCTION_VALUES = join(CHART, 'ci', 'production-values.yaml');
const KUBE_VERSION = '1.33.0';
const WORKERS = ['orchestrator', 'document-storage', 'sealing', 'notification', 'archive'];
const TIMEOUT = 120_000;

/** A bootstrap-installed tool; a missing one fails the test (never skips it). */
function requireTool(name: 'helm' | 'kubernetes-validate'): string {
  const path = toolPath(name);
  if (!existsSync(path)) {
    throw new Error(`${name} not found at ${path}: run 'node scripts/bootstrap.mjs' to install it`);
  }
  return path;
}

interface RunResult {
  status: number | null;
  output: string;
  stdout: string;
}

function run(command: string, args: string[]): RunResult {
  const r = spawnSync(command, args, { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, output: `${r.stdout}\n${r.stderr}` };
}

function runOk(command: string, args: string[]): string {
  const r = run(command, args);
  if (r.status !== 0) throw new Error(`${command} ${args.join(' ')} exited ${r.status}:\n${r.output}`);
  return r.stdout;
}

// Minimal shapes of the manifests the assertions read.
interface Meta {
  name: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}
interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: Meta;
  [key: string]: unknown;
}
interface Probe {
  httpGet?: { path: string; port: string | number };
}
interface Container {
  name: string;
  command?: string[];
  ports?: { name?: string; containerPort: number }[];
  env?: { name: string; value?: string; valueFrom?: { secretKeyRef?: { name: string; key: string } } }[];
  envFrom?: { secretRef?: { name: string }; configMapRef?: { name: string } }[];
  livenessProbe?: Probe;
  readinessProbe?: Probe;
  resources?: { requests?: Record<string, unknown>; limits?: Record<string, unknown> };
  securityContext?: {
    readOnlyRootFilesystem?: boolean;
    allowPrivilegeEscalation?: boolean;
    runAsNonRoot?: boolean;
    capabilities?: { drop?: string[] };
    seccompProfile?: { type: string };
  };
  volumeMounts?: { name: string; mountPath: string }[];
}
interface PodSpec {
  automountServiceAccountToken?: boolean;
  serviceAccountName?: string;
  securityContext?: {
    runAsNonRoot?: boolean;
    runAsUser?: number;
    fsGroup?: number;
    seccompProfile?: { type: string };
  };
  containers: Container[];
  volumes?: { name: string; emptyDir?: object }[];
}
interface Workload extends Manifest {
  spec: {
    replicas?: number;
    selector?: { matchLabels: Record<string, string> };
    template: { metadata: { labels: Record<string, string> }; spec: PodSpec };
  };
}
interface Hpa extends Manifest {
  spec: { scaleTargetRef: { kind: string; name: string }; minReplicas: number; maxReplicas: number };
}
interface Pdb extends Manifest {
  spec: { selector: { matchLabels: Record<string, string> }; minAvailable?: unknown; maxUnavailable?: unknown };
}
interface DataManifest extends Manifest {
  data?: Record<string, string>;
  stringData?: Record<string, string>;
}
interface IngressPath {
  path: string;
  pathType: string;
  backend: { service: { name: string; port: { name: string } } };
}
interface Ingress extends Manifest {
  spec: {
    tls?: { hosts: string[]; secretName: string }[];
    rules: { host: string; http: { paths: IngressPath[] } }[];
  };
}

interface Rendered {
  file: string;
  manifests: Manifest[];
}

function render(dir: string, name: string, valuesFiles: string[]): Rendered {
  const helm = requireTool('helm');
  const args = ['template', 'esign', CHART, '--namespace', 'esign', '--kube-version', KUBE_VERSION];
  for (const f of valuesFiles) args.push('-f', f);
  const text = runOk(helm, args);
  const file = join(dir, `${name}.yaml`);
  writeFileSync(file, text);
  const manifests = parseAllDocuments(text)
    .map((doc) => {
      if (doc.errors.length) throw new Error(`${name}: invalid YAML: ${doc.errors.map((e) => e.message).join('; ')}`);
      return doc.toJS() as Manifest | null;
    })
    .filter((m): m is Manifest => m !== null);
  return { file, manifests };
}

const ofKind = <T extends Manifest>(rendered: Rendered, kind: string): T[] =>
  rendered.manifests.filter((m) => m.kind === kind) as T[];

const component = (m: Manifest): string | undefined => m.metadata.labels?.['app.kubernetes.io/component'];

const matches = (selector: Record<string, string>, labels: Record<string, string>): boolean =>
  Object.entries(selector).every(([k, v]) => labels[k] === v);

/** The promises every Deployment keeps, whatever the values. */
function expectHardenedDeployments(rendered: Rendered): void {
  const deployments = ofKind<Workload>(rendered, 'Deployment');
  expect(deployments.length).toBeGreaterThan(0);
  const pdbs = ofKind<Pdb>(rendered, 'PodDisruptionBudget');
  for (const d of deployments) {
    const pod = d.spec.template.spec;
    const where = `Deployment ${d.metadata.name}`;
    expect(pod.automountServiceAccountToken, where).toBe(false);
    expect(pod.securityContext, where).toMatchObject({
      runAsNonRoot: true,
      runAsUser: 10001,
      fsGroup: 10001,
      seccompProfile: { type: 'RuntimeDefault' },
    });
    const tmp = pod.volumes?.find((v) => v.name === 'tmp');
    expect(tmp?.emptyDir, `${where}: /tmp emptyDir`).toBeDefined();
    expect(pod.containers.length, where).toBeGreaterThan(0);
    for (const c of pod.containers) {
      const at = `${where} container ${c.name}`;
      const ports = new Set((c.ports ?? []).flatMap((p) => [p.name, p.containerPort]));
      expect(c.livenessProbe?.httpGet?.path, at).toBe('/healthz');
      expect(c.readinessProbe?.httpGet?.path, at).toBe('/readyz');
      expect(ports.has(c.livenessProbe?.httpGet?.port), `${at}: liveness probe on a declared port`).toBe(true);
      expect(ports.has(c.readinessProbe?.httpGet?.port), `${at}: readiness probe on a declared port`).toBe(true);
      for (const kind of ['requests', 'limits'] as const) {
        expect(c.resources?.[kind]?.cpu, `${at}: ${kind}.cpu`).toBeDefined();
        expect(c.resources?.[kind]?.memory, `${at}: ${kind}.memory`).toBeDefined();
      }
      expect(c.securityContext, at).toMatchObject({
        readOnlyRootFilesystem: true,
        allowPrivilegeEscalation: false,
        runAsNonRoot: true,
        seccompProfile: { type: 'RuntimeDefault' },
      });
      expect(c.securityContext?.capabilities?.drop, at).toContain('ALL');
      expect(c.volumeMounts, at).toContainEqual(expect.objectContaining({ name: 'tmp', mountPath: '/tmp' }));
    }
    const podLabels = d.spec.template.metadata.labels;
    expect(matches(d.spec.selector?.matchLabels ?? {}, podLabels), `${where}: selector matches its pods`).toBe(true);
    const pdb = pdbs.filter((p) => matches(p.spec.selector.matchLabels, podLabels));
    expect(pdb, `${where}: exactly one PodDisruptionBudget`).toHaveLength(1);
  }
}

/** Each host's routed paths as `path → service`. */
const routes = (ingress: Ingress | undefined) =>
  Object.fromEntries(
    (ingress?.spec.rules ?? []).map((r) => [
      r.host,
      r.http.paths.map((p) => `${p.path} (${p.pathType}) → ${p.backend.service.name}:${p.backend.service.port.name}`),
    ]),
  );

/**
 * The gateway and the portal answer health and metrics on their operator port only: probed there, and the port is
 * declared but never the Service's target (the Service targets `http`).
 */
function expectOperatorPorts(rendered: Rendered): void {
  const services = ofKind<Manifest & { spec: { ports: { targetPort: string }[] } }>(rendered, 'Service');
  for (const [name, port] of [
    ['gateway', 9105],
    ['signing-portal', 9106],
  ] as const) {
    const d = ofKind<Workload>(rendered, 'Deployment').find((w) => component(w) === name)!;
    const [c] = d.spec.template.spec.containers;
    expect(c?.ports, name).toContainEqual(expect.objectContaining({ name: 'operator', containerPort: port }));
    expect(c?.livenessProbe?.httpGet?.port, name).toBe('operator');
    expect(c?.readinessProbe?.httpGet?.port, name).toBe('operator');
    const service = services.find((m) => component(m) === name)!;
    expect(
      service.spec.ports.map((p) => p.targetPort),
      name,
    ).toEqual(['http']);
  }
}

/** An HPA (autoscaling/v2) scales the gateway and each worker; returns them by component. */
function expectAutoscaled(rendered: Rendered): Map<string, Hpa> {
  const deployments = new Map(ofKind<Workload>(rendered, 'Deployment').map((d) => [d.metadata.name, d]));
  const hpas = new Map<string, Hpa>();
  for (const hpa of ofKind<Hpa>(rendered, 'HorizontalPodAutoscaler')) {
    expect(hpa.apiVersion).toBe('autoscaling/v2');
    expect(hpa.spec.scaleTargetRef.kind).toBe('Deployment');
    const target = deployments.get(hpa.spec.scaleTargetRef.name);
    expect(target, `HPA ${hpa.metadata.name} targets a rendered Deployment`).toBeDefined();
    expect(target?.spec.replicas, `${hpa.spec.scaleTargetRef.name}: replicas left to the HPA`).toBeUndefined();
    hpas.set(component(target!) ?? '', hpa);
  }
  for (const name of ['gateway', ...WORKERS]) expect(hpas.has(name), `HPA for ${name}`).toBe(true);
  return hpas;
}

function searchAttributeJob(rendered: Rendered): Workload {
  const jobs = ofKind<Workload>(rendered, 'Job');
  expect(jobs).toHaveLength(1);
  const job = jobs[0]!;
  const annotations = job.metadata.annotations ?? {};
  expect(annotations['helm.sh/hook']?.split(',').sort()).toEqual(['post-install', 'post-upgrade']);
  expect(annotations['helm.sh/hook-weight']).toMatch(/^-?\d+$/);
  expect(annotations['helm.sh/hook-delete-policy']?.split(',').sort()).toEqual([
    'before-hook-creation',
    'hook-succeeded',
  ]);
  const [container] = job.spec.template.spec.containers;
  const script = (container?.command ?? []).join('\n');
  expect(script).toContain('temporal operator search-attribute create');
  expect(script).toContain('--type Keyword');
  expect(script).toContain('--address');
  expect(script).toContain('--namespace');
  for (const name of Object.values(SEARCH_ATTRIBUTES)) expect(script).toContain(name);
  return job;
}

describe('Helm chart deploy/helm/esign', () => {
  let dir: string;
  const cache = new Map<string, Rendered>();
  /** Rendered once, on first use, so each test fails on its own when helm does. */
  const rendered = (which: 'defaults' | 'production'): Rendered => {
    let r = cache.get(which);
    if (!r) {
      r = render(dir, which, which === 'production' ? [PRODUCTION_VALUES] : []);
      cache.set(which, r);
    }
    return r;
  };

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'esign-helm-'));
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('finds helm and kubernetes-validate (installed by scripts/bootstrap.mjs)', () => {
    expect(runOk(requireTool('helm'), ['version', '--short'])).toMatch(/^v3\./);
    expect(runOk(requireTool('kubernetes-validate'), ['--version'])).toMatch(/\d+\.\d+/);
  });

  it(
    'passes helm lint --strict with the default and the production values',
    () => {
      const helm = requireTool('helm');
      runOk(helm, ['lint', '--strict', '--kube-version', KUBE_VERSION, CHART]);
      runOk(helm, ['lint', '--strict', '--kube-version', KUBE_VERSION, CHART, '-f', PRODUCTION_VALUES]);
    },
    TIMEOUT,
  );

  it(
    'renders manifests that validate strictly against the Kubernetes 1.33 schemas',
    () => {
      const validate = requireTool('kubernetes-validate');
      for (const { file } of [rendered('defaults'), rendered('production')]) {
        runOk(validate, ['--strict', '-k', '1.33', '--quiet', file]);
      }
    },
    TIMEOUT,
  );

  it('rejects a manifest with an unknown field (the validation is strict)', () => {
    const bad = join(dir, 'bad.yaml');
    writeFileSync(
      bad,
      'apiVersion: v1\nkind: Service\nmetadata:\n  name: bad\nspec:\n  ports:\n    - port: 80\n      targetPortt: 8080\n',
    );
    const r = run(requireTool('kubernetes-validate'), ['--strict', '-k', '1.33', '--quiet', bad]);
    expect(r.status).not.toBe(0);
    expect(r.output).toContain('targetPortt');
  });

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
    for (const k of ['REDIS_URL', 'S3_SECRET_KEY', 'TWILIO_AUTH_TOKEN', 'SIGN_CODE_SECRET']) {
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
      (deployments.find((d) => component(d) === name)!.spec.template.spec.containers[0]?.envFrom ?? []).flatMap((e) =>
        e.secretRef ? [e.secretRef.name] : [],
      );
    expect(secretRefs('signing-portal')).toContain('esign-identity-providers');
    expect(secretRefs('gateway')).not.toContain('esign-identity-providers');
    const gateway = deployments.find((d) => component(d) === 'gateway')!;
    const env = gateway.spec.template.spec.containers[0]?.env ?? [];
    expect(env.find((e) => e.name === 'TEMPORAL_API_KEY')?.valueFrom?.secretKeyRef?.name).toBe(
      'esign-temporal-api-key',
    );
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

  it(
    'fails helm lint and helm template through values.schema.json on a values typo',
    () => {
      const helm = requireTool('helm');
      const typo = join(dir, 'typo-values.yaml');
      writeFileSync(typo, 'gatway:\n  replicas: 3\n');
      const lint = run(helm, ['lint', '--strict', CHART, '-f', typo]);
      expect(lint.status).not.toBe(0);
      expect(lint.output).toMatch(/additional propert(y|ies) 'gatway' not allowed/);
      const nested = run(helm, ['lint', '--strict', CHART, '--set', 'gateway.replica=3']);
      expect(nested.status).not.toBe(0);
      expect(nested.output).toMatch(/additional propert(y|ies) 'replica' not allowed/);
      const template = run(helm, ['template', 'esign', CHART, '--kube-version', KUBE_VERSION, '-f', typo]);
      expect(template.status).not.toBe(0);
    },
    TIMEOUT,
  );

  it('renders a PKCS#11 seal key: module, labels and CA chain in config, the PIN only from its Secret', () => {
    const values = join(dir, 'pkcs11-values.yaml');
    writeFileSync(
      values,
      [
        'config:',
        '  signingTsaUrl: https://tsa.example.com/rfc3161',
        '  signingLevel: B-LTA',
        'signing:',
        '  caChain: "-----BEGIN CERTIFICATE-----\\nMIIB\\n-----END CERTIFICATE-----\\n"',
        '  pkcs11:',
        '    enabled: true',
        '    module: /opt/hsm/lib/libpkcs11.so',
        '    tokenLabel: esign-seal',
        '    keyLabel: seal',
        '    pinSecret: esign-hsm-pin',
      ].join('\n'),
    );
    const r = render(dir, 'pkcs11', [values]);
    const maps = ofKind<DataManifest>(r, 'ConfigMap');
    expect(maps.find((m) => m.metadata.name === 'esign-config')?.data).toMatchObject({
      SIGNING_PKCS11_MODULE: '/opt/hsm/lib/libpkcs11.so',
      SIGNING_PKCS11_TOKEN_LABEL: 'esign-seal',
      SIGNING_PKCS11_KEY_LABEL: 'seal',
      SIGNING_CA_FILE: '/etc/esign/signing-ca/ca-chain.pem',
      SIGNING_LEVEL: 'B-LTA',
      ARCHIVE_RENEWAL_MARGIN_DAYS: '90',
    });
    expect(maps.find((m) => m.metadata.name === 'esign-config')?.data?.SIGNING_P12_FILE).toBeUndefined();
    expect(maps.find((m) => m.metadata.name === 'esign-signing-ca')?.data?.['ca-chain.pem']).toContain('BEGIN');
    const deployments = ofKind<Workload>(r, 'Deployment');
    const pinOf = (d: Workload) =>
      d.spec.template.spec.containers[0]?.env?.find((e) => e.name === 'SIGNING_PKCS11_PIN');
    const sealing = deployments.find((d) => component(d) === 'sealing')!;
    expect(pinOf(sealing)?.valueFrom?.secretKeyRef).toEqual({ name: 'esign-hsm-pin', key: 'SIGNING_PKCS11_PIN' });
    // The sealing pods alone hold the key: no other workload gets its PIN.
    expect(deployments.filter((d) => component(d) !== 'sealing' && pinOf(d))).toEqual([]);
    runOk(requireTool('kubernetes-validate'), ['--strict', '-k', '1.33', '--quiet', r.file]);

    const bad = run(requireTool('helm'), ['template', 'esign', CHART, '--set', 'config.signingLevel=LTA']);
    expect(bad.status).not.toBe(0);
    expect(bad.output).toMatch(/signingLevel/);
    const noPin = run(requireTool('helm'), [
      'template',
      'esign',
      CHART,
      '-f',
      values,
      '--set',
      'signing.pkcs11.pinSecret=',
    ]);
    expect(noPin.output).toContain('signing.pkcs11.pinSecret (an existing Secret with the PIN) is required');
  });

  it('refuses to render without an OIDC issuer when the identity service is disabled', () => {
    const r = run(requireTool('helm'), ['template', 'esign', CHART, '--set', 'identity.enabled=false']);
    expect(r.status).not.toBe(0);
    expect(r.output).toContain('oidc.issuer is required');
  });
});
