// The promises the chart keeps whatever the values, asserted on a rendering.
import { SEARCH_ATTRIBUTES } from '@esign/temporal-contracts';
import { expect } from 'vitest';
import { WORKERS, type Rendered } from './chart.js';
import { component, matches, ofKind, type Hpa, type Manifest, type Pdb, type Workload } from './manifests.js';

/** The promises every Deployment keeps, whatever the values. */
export function expectHardenedDeployments(rendered: Rendered): void {
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

/**
 * The gateway and the portal answer health and metrics on their operator port only: probed there, and the port is
 * declared but never the Service's target (the Service targets `http`).
 */
export function expectOperatorPorts(rendered: Rendered): void {
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
export function expectAutoscaled(rendered: Rendered): Map<string, Hpa> {
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

export function searchAttributeJob(rendered: Rendered): Workload {
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
