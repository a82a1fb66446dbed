import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  CHART,
  dir,
  KUBE_VERSION,
  PRODUCTION_VALUES,
  rendered,
  renderedChart,
  requireTool,
  run,
  runOk,
  TIMEOUT,
} from './helm/chart.js';

// The Helm chart's CI checks, offline: `helm lint --strict` and `helm template` with the default values and a
// production-like values file, the rendered manifests validated against the Kubernetes 1.33 schemas bundled in
// kubernetes-validate, and the properties the chart promises asserted on the parsed manifests.
// This file: the tools, lint, and the validation of values and manifests; the rendered manifests' properties are
// asserted in helm-manifests.test.ts, a PKCS#11 seal key's rendering in helm-pkcs11.test.ts.
describe('Helm chart deploy/helm/esign', () => {
  renderedChart();

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

  it('refuses to render without an OIDC issuer when the identity service is disabled', () => {
    const r = run(requireTool('helm'), ['template', 'esign', CHART, '--set', 'identity.enabled=false']);
    expect(r.status).not.toBe(0);
    expect(r.output).toContain('oidc.issuer is required');
  });
});
