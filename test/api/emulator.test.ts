// Our CRDs as the sandbox's Kubernetes API server sees them: it must accept the definitions and find the
// printer columns' values in a resource the controllers would write.
import { describe, expect, it } from 'vitest';
import { crdObjects } from '../../src/api/index.js';
import { validateCrd } from '../../src/sandbox/kube/crd.js';
import { evaluateJsonPath } from '../../src/sandbox/kube/jsonpath.js';
import type { KubeObject } from '../../src/sandbox/kube/types.js';
import { serviceFabricSample } from './fixtures.js';

describe('the CRDs in the Kubernetes emulator', () => {
  it('are accepted as CustomResourceDefinitions', () => {
    for (const crd of crdObjects()) expect(validateCrd(crd as unknown as KubeObject)).toEqual([]);
  });

  it('have printer columns that read the status the controllers write', () => {
    const resource = {
      ...serviceFabricSample(),
      status: {
        phase: 'Progressing',
        currentStep: 'InstallGoalCertificate',
        conditions: [
          {
            type: 'Reconciling',
            status: 'True',
            reason: 'StepInProgress',
            message: '',
            lastTransitionTime: 't',
          },
          { type: 'Ready', status: 'False', reason: 'StepInProgress', message: '', lastTransitionTime: 't' },
        ],
        certificates: { inUse: { thumbprint: 'A', notBefore: 'a', notAfter: '2027-01-01T00:00:00Z' } },
      },
    };
    const columns = crdObjects()[0]?.spec.versions[0]?.additionalPrinterColumns ?? [];
    const cells = Object.fromEntries(columns.map((c) => [c.name, evaluateJsonPath(c.jsonPath, resource)]));
    expect(cells).toMatchObject({
      Ready: ['False'],
      Phase: ['Progressing'],
      Step: ['InstallGoalCertificate'],
      Expires: ['2027-01-01T00:00:00Z'],
    });
  });
});
