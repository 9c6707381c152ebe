// End to end: per-namespace Azure credentials (`spec.azure.credentialRef`). The operator reads the named
// Secret and uses it, not its own identity: with a wrong client secret in it, the resource reports the
// sign-in failure (the operator's own identity is valid); once the Secret is corrected, the rotation
// converges; when the Secret is gone, the resource says so, naming it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_GROUP, API_VERSION, PLURAL_SERVICE_FABRIC, Reason } from '../../src/domain/names.js';
import { RESOURCE, SfHarness, type Json } from './harness.js';

const SECRET = 'kvr-azure-credential';

let harness: SfHarness;
let failure: string | undefined;
let signInFailure: Json | undefined;
let missingFailure: Json | undefined;

function secretType() {
  return harness.sandbox.kube.api.typeForKind('v1', 'Secret')!;
}

function writeSecret(clientSecret: string): void {
  const env = harness.sandbox.env;
  harness.sandbox.kube.createObject({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: SECRET, namespace: RESOURCE.namespace },
    stringData: {
      AZURE_TENANT_ID: env.AZURE_TENANT_ID,
      AZURE_CLIENT_ID: env.AZURE_CLIENT_ID,
      AZURE_CLIENT_SECRET: clientSecret,
    },
  });
}

beforeAll(async () => {
  harness = await SfHarness.start({
    edit: (r: Json) => {
      r.spec.azure.credentialRef = { name: SECRET };
    },
  });
  failure = await harness.story(async () => {
    writeSecret('not-the-client-secret');
    await harness.startOperator();
    await harness.waitFor('the sign-in failure', () => harness.status()?.failures !== undefined);
    signInFailure = harness.status()?.failures as Json;

    harness.sandbox.kube.api.delete(secretType(), RESOURCE.namespace, SECRET);
    writeSecret(harness.sandbox.env.AZURE_CLIENT_SECRET!);
    await harness.waitFor('convergence with the corrected Secret', () => harness.converged(), 100_000);

    // The Secret goes away; an annotation makes the operator look at the resource again.
    harness.sandbox.kube.api.delete(secretType(), RESOURCE.namespace, SECRET);
    const api = harness.sandbox.kube.api;
    const rotations = api.resolve(API_GROUP, API_VERSION, PLURAL_SERVICE_FABRIC)!;
    api.patch(rotations, RESOURCE.namespace, RESOURCE.name, undefined, 'merge', {
      metadata: { annotations: { 'example.com/touched': 'yes' } },
    });
    await harness.waitFor('the missing-Secret failure', () =>
      String((harness.status()?.failures as Json | undefined)?.lastError ?? '').includes('does not exist'),
    );
    missingFailure = harness.status()?.failures as Json;
  });
}, 120_000);

afterAll(async () => {
  await harness?.close();
});

describe('per-namespace credentials from a Secret', () => {
  it("signs in with the Secret's client secret, not the operator's own", () => {
    expect(failure).toBeUndefined();
    // Microsoft Entra ID's answer to a wrong client secret, as the emulator gives it.
    expect(String(signInFailure?.lastError)).toContain('AADSTS7000215');
    // The wrong secret is never echoed back.
    expect(JSON.stringify(harness.status())).not.toContain('not-the-client-secret');
  });

  it('converges once the Secret holds the right credentials', () => {
    expect(failure).toBeUndefined();
    expect(harness.everUnavailable()).toBe(false);
  });

  it('names the missing Secret and its field', () => {
    expect(failure).toBeUndefined();
    const message = `credential Secret ${RESOURCE.namespace}/${SECRET} (spec.azure.credentialRef) does not exist`;
    expect(String(missingFailure?.lastError)).toContain(message);
    expect(
      harness
        .events()
        .some(
          (e) => e.type === 'Warning' && e.reason === Reason.ResourceNotFound && e.note.includes(message),
        ),
    ).toBe(true);
  });
});
