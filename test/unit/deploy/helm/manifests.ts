// Minimal shapes of the manifests the assertions read, and how they find their way around a rendering.
import type { Rendered } from './chart.js';

interface Meta {
  name: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}
export interface Manifest {
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
export interface Workload extends Manifest {
  spec: {
    replicas?: number;
    selector?: { matchLabels: Record<string, string> };
    template: { metadata: { labels: Record<string, string> }; spec: PodSpec };
  };
}
export interface Hpa extends Manifest {
  spec: { scaleTargetRef: { kind: string; name: string }; minReplicas: number; maxReplicas: number };
}
export interface Pdb extends Manifest {
  spec: { selector: { matchLabels: Record<string, string> }; minAvailable?: unknown; maxUnavailable?: unknown };
}
export interface DataManifest extends Manifest {
  data?: Record<string, string>;
  stringData?: Record<string, string>;
}
interface IngressPath {
  path: string;
  pathType: string;
  backend: { service: { name: string; port: { name: string } } };
}
export interface Ingress extends Manifest {
  spec: {
    tls?: { hosts: string[]; secretName: string }[];
    rules: { host: string; http: { paths: IngressPath[] } }[];
  };
}

export const ofKind = <T extends Manifest>(rendered: Rendered, kind: string): T[] =>
  rendered.manifests.filter((m) => m.kind === kind) as T[];

export const component = (m: Manifest): string | undefined => m.metadata.labels?.['app.kubernetes.io/component'];

export const matches = (selector: Record<string, string>, labels: Record<string, string>): boolean =>
  Object.entries(selector).every(([k, v]) => labels[k] === v);

/** Each host's routed paths as `path → service`. */
export const routes = (ingress: Ingress | undefined) =>
  Object.fromEntries(
    (ingress?.spec.rules ?? []).map((r) => [
      r.host,
      r.http.paths.map((p) => `${p.path} (${p.pathType}) → ${p.backend.service.name}:${p.backend.service.port.name}`),
    ]),
  );
