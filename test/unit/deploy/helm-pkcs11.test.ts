import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CHART, dir, render, renderedChart, requireTool, run, runOk, TIMEOUT } from './helm/chart.js';
import { component, ofKind, type DataManifest, type Workload } from './helm/manifests.js';

// A seal key in an HSM: the PKCS#11 module, labels and CA chain rendered into config, the PIN only from its Secret.
describe('Helm chart deploy/helm/esign', () => {
  renderedChart();

  it(
    'renders a PKCS#11 seal key: module, labels and CA chain in config, the PIN only from its Secret',
    () => {
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
    },
    TIMEOUT,
  );
});
