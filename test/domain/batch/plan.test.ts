// Table tests of the Batch planner, one per branch of design §4 "Batch", from raw REST bodies.
/* eslint-disable @typescript-eslint/no-explicit-any -- created pool bodies are opaque JSON, read loosely */
import { describe, expect, it } from 'vitest';
import {
  planBatchPool,
  withRotation,
  type BatchChange,
  type BatchPlan,
} from '../../../src/domain/batch/index.js';
import {
  BATCH_POOL_STEPS,
  Hazard,
  Phase,
  Reason,
  Severity,
  Step,
  StepState,
} from '../../../src/domain/names.js';
import {
  CLIENT_ID,
  IDENTITY_ID,
  IMDS,
  LINUX_STORE,
  NOW,
  OTHER_ISSUER,
  POOL,
  SECRET_URL,
  USER_BODY,
  batchObservation,
  batchSpec,
  daysFromNow,
  kvExtension,
  nodesBody,
  poolBody,
  version,
  type BatchSpec,
} from './fixtures.js';

const noBody = (): BatchSpec => ({ ...whenIdle(), pool: { name: POOL } });
const whenIdle = (over: Partial<BatchSpec['policy']> = {}) =>
  batchSpec({ policy: { ...batchSpec().policy, recreate: 'WhenIdle', ...over } });

function step(plan: BatchPlan, name: string) {
  const s = plan.steps.find((x) => x.name === name);
  if (s === undefined) throw new Error(`no step ${name}`);
  return s;
}
function onlyChange(plan: BatchPlan): BatchChange {
  const changes = plan.steps.flatMap((s) => s.changes);
  expect(changes).toHaveLength(1);
  return changes[0]!;
}
const hazardReasons = (plan: BatchPlan) => plan.hazards.map((h) => h.reason);
const versionedUrl = `${SECRET_URL}/0123456789abcdef0123456789abcdef`;
const driftedPool = () =>
  poolBody({
    extensions: [
      kvExtension({
        observed: [versionedUrl],
        storeLocationShared: '/var/lib/waagent/Microsoft.Azure.KeyVault',
      }),
    ],
  });

describe('planBatchPool: creation', () => {
  it('creates an absent pool with the identity and the v3.0 object-form extension, keeping the user body', () => {
    const plan = planBatchPool(batchSpec(), batchObservation({ pool: undefined, nodes: undefined }), NOW);
    expect(plan.steps.map((s) => s.name)).toEqual([
      Step.GrantVaultAccess,
      Step.EnsurePool,
      Step.VerifyNodes,
      Step.Steady,
    ]);
    expect(plan.currentStep).toBe(Step.EnsurePool);
    expect(plan.phase).toBe(Phase.Progressing);
    const change = onlyChange(plan);
    if (change.op !== 'CreatePool') throw new Error(change.op);
    const props = change.body.properties as typeof USER_BODY.properties & {
      deploymentConfiguration: { virtualMachineConfiguration: { extensions: unknown[] } };
    };
    expect(props.vmSize).toBe('STANDARD_D2S_V3');
    expect(props.scaleSettings).toEqual(USER_BODY.properties.scaleSettings);
    expect(change.body.identity).toEqual({
      type: 'UserAssigned',
      userAssignedIdentities: { [IDENTITY_ID]: {} },
    });
    expect(props.deploymentConfiguration.virtualMachineConfiguration.extensions).toEqual([
      {
        name: 'KVExtensions',
        publisher: 'Microsoft.Azure.KeyVault',
        type: 'KeyVaultForLinux',
        typeHandlerVersion: '3.0',
        autoUpgradeMinorVersion: true,
        settings: {
          secretsManagementSettings: {
            pollingIntervalInS: '3600',
            requireInitialSync: true,
            observedCertificates: [{ url: SECRET_URL, certificateStoreLocation: LINUX_STORE }],
          },
          authenticationSettings: { msiEndpoint: IMDS, msiClientId: CLIENT_ID },
        },
      },
    ]);
  });

  it('writes the Windows store name and keyExportable per certificate, and linkOnRenewal', () => {
    const spec = batchSpec({
      certificates: [
        { secretId: SECRET_URL, storeLocation: 'LocalMachine', storeName: 'My', keyExportable: true },
      ],
      keyVaultExtension: { ...batchSpec().keyVaultExtension, type: 'KeyVaultForWindows' },
    });
    const change = onlyChange(planBatchPool(spec, batchObservation({ pool: undefined }), NOW));
    if (change.op !== 'CreatePool') throw new Error(change.op);
    const ext = (change.body.properties as any).deploymentConfiguration.virtualMachineConfiguration
      .extensions[0];
    expect(ext.type).toBe('KeyVaultForWindows');
    expect(ext.settings.secretsManagementSettings.linkOnRenewal).toBe(false);
    expect(ext.settings.secretsManagementSettings.observedCertificates).toEqual([
      {
        url: SECRET_URL,
        certificateStoreLocation: 'LocalMachine',
        certificateStoreName: 'My',
        keyExportable: true,
      },
    ]);
  });

  it('stalls when the pool is absent and no body is given', () => {
    const spec = batchSpec({ pool: { name: POOL } });
    const plan = planBatchPool(spec, batchObservation({ pool: undefined }), NOW);
    expect(plan.phase).toBe(Phase.Stalled);
    expect(step(plan, Step.EnsurePool)).toMatchObject({
      state: StepState.Blocked,
      reason: Reason.ResourceNotFound,
    });
    expect(plan.steps.flatMap((s) => s.changes)).toEqual([]);
  });

  it('reports VaultAccessMissing before any pool is created when the operator may not grant access', () => {
    const spec = batchSpec({
      identity: { resourceId: IDENTITY_ID, clientId: CLIENT_ID, grantVaultAccess: false },
    });
    const plan = planBatchPool(spec, batchObservation({ pool: undefined, canRead: false }), NOW);
    expect(plan.currentStep).toBe(Step.GrantVaultAccess);
    expect(plan.phase).toBe(Phase.Blocked);
    expect(step(plan, Step.GrantVaultAccess)).toMatchObject({
      state: StepState.Blocked,
      reason: Hazard.VaultAccessMissing,
    });
    expect(plan.hazards[0]).toMatchObject({ reason: Hazard.VaultAccessMissing, severity: Severity.Blocking });
    expect(plan.steps.flatMap((s) => s.changes)).toEqual([]);
  });

  it('grants access first when it may', () => {
    const plan = planBatchPool(batchSpec(), batchObservation({ pool: undefined, canRead: false }), NOW);
    expect(plan.currentStep).toBe(Step.GrantVaultAccess);
    expect(onlyChange(plan)).toMatchObject({ op: 'GrantVaultAccess', vault: 'kv1', model: 'AccessPolicy' });
  });

  it('enrolls the vault certificate first when a policy is declared and no version exists', () => {
    const spec = batchSpec({
      certificate: {
        vault: 'kv1',
        name: 'pool-cert',
        commonName: 'pool.contoso.com',
        issuerThumbprints: [],
        policy: {
          issuerName: 'Self',
          enhancedKeyUsage: [],
          keyType: 'RSA',
          reuseKey: false,
          exportable: true,
          contentType: 'application/x-pkcs12',
          validityInMonths: 12,
          lifetimeAction: { action: 'AutoRenew', lifetimePercentage: 80 },
        },
      },
    });
    const plan = planBatchPool(spec, batchObservation({ pool: undefined, versions: [] }), NOW);
    expect(plan.steps.map((s) => s.name)).toEqual([...BATCH_POOL_STEPS]);
    expect(plan.currentStep).toBe(Step.EnsureVaultCertificate);
    expect(onlyChange(plan)).toMatchObject({ op: 'CreateVaultCertificate', certificateName: 'pool-cert' });
  });
});

describe('planBatchPool: an existing pool', () => {
  it('is Steady when the pool matches and every node reports the extension succeeded', () => {
    const plan = planBatchPool(batchSpec(), batchObservation(), NOW);
    expect(plan.phase).toBe(Phase.Steady);
    expect(plan.currentStep).toBe(Step.Steady);
    expect(plan.hazards).toEqual([]);
    expect(plan.certificates.inUse?.version).toBe('v1');
  });

  it('accepts the v1.0 string form meaning the same, with a StringArrayExtensionSettings warning', () => {
    const pool = poolBody({
      extensions: [kvExtension({ observed: [SECRET_URL], storeLocationShared: LINUX_STORE })],
    });
    const plan = planBatchPool(batchSpec(), batchObservation({ pool }), NOW);
    expect(plan.phase).toBe(Phase.Steady);
    expect(plan.hazards).toEqual([
      expect.objectContaining({ reason: Hazard.StringArrayExtensionSettings, severity: Severity.Warning }),
    ]);
  });

  it('waits on VerifyNodes until every node reports the KeyVault extension succeeded', () => {
    const nodes = nodesBody([
      { id: 'tvm-1', extension: 'Succeeded' },
      { id: 'tvm-2', extension: 'Creating' },
      { id: 'tvm-3', extension: 'Failed' },
    ]);
    const plan = planBatchPool(batchSpec(), batchObservation({ nodes }), NOW);
    expect(plan.currentStep).toBe(Step.VerifyNodes);
    expect(step(plan, Step.VerifyNodes)).toMatchObject({
      state: StepState.Current,
      reason: Reason.WaitingForNodes,
    });
    expect(step(plan, Step.VerifyNodes).message).toContain('1/3');
    expect(step(plan, Step.VerifyNodes).message).toContain('failed on tvm-3');
  });

  it('says why nodes cannot sync while the newest vault version is disabled', () => {
    const nodes = nodesBody([{ id: 'tvm-1', extension: 'Creating' }]);
    const versions = [version('v1', 0), version('v2', 1, { enabled: false })];
    const plan = planBatchPool(batchSpec(), batchObservation({ nodes, versions }), NOW);
    expect(step(plan, Step.VerifyNodes).message).toContain('newest version v2 of pool-cert is disabled');
    const fine = planBatchPool(batchSpec(), batchObservation({ nodes, versions: [version('v1', 0)] }), NOW);
    expect(step(fine, Step.VerifyNodes).message).not.toContain('disabled');
  });

  it('waits while the pool is resizing', () => {
    const plan = planBatchPool(
      batchSpec(),
      batchObservation({ pool: poolBody({ allocationState: 'Resizing' }) }),
      NOW,
    );
    expect(plan.currentStep).toBe(Step.VerifyNodes);
    expect(plan.phase).toBe(Phase.Progressing);
  });

  it('stalls with PoolRecreationRequired naming every difference when recreate is Never', () => {
    const plan = planBatchPool(batchSpec(), batchObservation({ pool: driftedPool() }), NOW);
    expect(plan.phase).toBe(Phase.Stalled);
    expect(step(plan, Step.EnsurePool)).toMatchObject({
      state: StepState.Blocked,
      reason: Hazard.PoolRecreationRequired,
    });
    const h = plan.hazards.find((x) => x.reason === Hazard.PoolRecreationRequired)!;
    expect(h.severity).toBe(Severity.Blocking);
    expect(h.message).toContain(`observes ${versionedUrl}`);
    expect(h.message).toContain('certificateStoreLocation is /var/lib/waagent/Microsoft.Azure.KeyVault');
    expect(hazardReasons(plan)).toEqual(
      expect.arrayContaining([Hazard.StringArrayExtensionSettings, Hazard.VersionedObservedCertificate]),
    );
    expect(plan.steps.flatMap((s) => s.changes)).toEqual([]);
  });

  it.each([
    ['identity', poolBody({ identities: [] }), 'is not assigned to the pool'],
    ['extension missing', poolBody({ extensions: [] }), 'no KeyVault extension'],
    [
      'type',
      poolBody({ extensions: [kvExtension({ type: 'KeyVaultForWindows' })] }),
      'extension type is KeyVaultForWindows',
    ],
    [
      'version',
      poolBody({ extensions: [kvExtension({ typeHandlerVersion: '1.0' })] }),
      'typeHandlerVersion is 1.0',
    ],
    [
      'initial sync',
      poolBody({ extensions: [kvExtension({ requireInitialSync: false })] }),
      'requireInitialSync is false',
    ],
    [
      'client id',
      poolBody({ extensions: [kvExtension({ msiClientId: undefined })] }),
      'msiClientId is unset',
    ],
    [
      'endpoint',
      poolBody({ extensions: [kvExtension({ msiEndpoint: 'http://localhost:40342/metadata/identity' })] }),
      'msiEndpoint is http://localhost',
    ],
    [
      'extra certificate',
      poolBody({
        extensions: [
          kvExtension({
            observed: [
              { url: SECRET_URL, certificateStoreLocation: LINUX_STORE },
              { url: 'https://kv1.vault.azure.net/secrets/other', certificateStoreLocation: LINUX_STORE },
            ],
          }),
        ],
      }),
      'which spec.certificates does not list',
    ],
  ])('detects drift: %s', (_label, pool, fragment) => {
    const plan = planBatchPool(batchSpec(), batchObservation({ pool }), NOW);
    expect(plan.phase).toBe(Phase.Stalled);
    expect(plan.hazards.find((h) => h.reason === Hazard.PoolRecreationRequired)?.message).toContain(fragment);
  });

  it('detects a Windows keyExportable difference', () => {
    const spec = batchSpec({
      certificates: [{ secretId: SECRET_URL, storeLocation: 'LocalMachine', keyExportable: true }],
      keyVaultExtension: { ...batchSpec().keyVaultExtension, type: 'KeyVaultForWindows' },
    });
    const pool = poolBody({
      extensions: [
        kvExtension({
          type: 'KeyVaultForWindows',
          observed: [
            { url: SECRET_URL, certificateStoreLocation: 'LocalMachine', certificateStoreName: 'My' },
          ],
        }),
      ],
    });
    const plan = planBatchPool(spec, batchObservation({ pool }), NOW);
    expect(plan.hazards.find((h) => h.reason === Hazard.PoolRecreationRequired)?.message).toContain(
      'keyExportable is false, spec: true',
    );
  });
});

describe('planBatchPool: recreation (policy.recreate WhenIdle)', () => {
  it('never touches a busy pool', () => {
    const nodes = nodesBody([
      { id: 'tvm-1', running: 1, extension: 'Succeeded' },
      { id: 'tvm-2', extension: 'Succeeded' },
    ]);
    const plan = planBatchPool(whenIdle(), batchObservation({ pool: driftedPool(), nodes }), NOW);
    expect(plan.phase).toBe(Phase.Blocked);
    expect(step(plan, Step.EnsurePool).reason).toBe(Hazard.PoolRecreationRequired);
    expect(plan.hazards[0]?.message).toContain('running tasks');
    expect(plan.steps.flatMap((s) => s.changes)).toEqual([]);
  });

  it('does not act on a pool whose nodes were not observed', () => {
    const plan = planBatchPool(whenIdle(), batchObservation({ pool: driftedPool(), nodes: undefined }), NOW);
    expect(plan.phase).toBe(Phase.Blocked);
    expect(plan.steps.flatMap((s) => s.changes)).toEqual([]);
  });

  it('resizes an idle pool to zero first, keeping the body to recreate', () => {
    const plan = planBatchPool(whenIdle(), batchObservation({ pool: driftedPool() }), NOW);
    expect(plan.phase).toBe(Phase.Progressing);
    const change = onlyChange(plan);
    if (change.op !== 'ResizePool') throw new Error(change.op);
    expect(change.targetDedicatedNodes).toBe(0);
    expect((change.recreateBody.properties as any).scaleSettings.fixedScale.targetDedicatedNodes).toBe(2);
    expect(plan.hazards.find((h) => h.reason === Hazard.PoolRecreationRequired)?.severity).toBe(
      Severity.Info,
    );
  });

  it('derives the recreation body from the observed pool without read-only properties when no body is given', () => {
    const spec = { ...whenIdle(), pool: { name: POOL } };
    const change = onlyChange(planBatchPool(spec, batchObservation({ pool: driftedPool() }), NOW));
    if (change.op !== 'ResizePool') throw new Error(change.op);
    const props = change.recreateBody.properties as Record<string, any>;
    expect(props['allocationState']).toBeUndefined();
    expect(props['currentDedicatedNodes']).toBeUndefined();
    expect(props['vmSize']).toBe('STANDARD_D2S_V3');
    const ext = props['deploymentConfiguration'].virtualMachineConfiguration.extensions[0];
    expect(ext.settings.secretsManagementSettings.observedCertificates).toEqual([
      { url: SECRET_URL, certificateStoreLocation: LINUX_STORE },
    ]);
    expect(change.recreateBody.identity).toEqual({
      type: 'UserAssigned',
      userAssignedIdentities: { [IDENTITY_ID]: {} },
    });
  });

  it('refuses to keep a derived body that may hold secrets', () => {
    const spec = { ...whenIdle(), pool: { name: POOL } };
    const pool = poolBody({
      extensions: [kvExtension({ observed: [versionedUrl] })],
      extra: {
        startTask: { commandLine: 'x', environmentSettings: [{ name: 'TOKEN', value: 'not-for-status' }] },
      },
    });
    const plan = planBatchPool(spec, batchObservation({ pool }), NOW);
    expect(plan.phase).toBe(Phase.Stalled);
    expect(plan.hazards[0]?.message).toContain('startTask.environmentSettings');
    expect(JSON.stringify(plan)).not.toContain('not-for-status');
  });

  it('waits for the pool to reach zero nodes, then deletes it', () => {
    const kept = { properties: { vmSize: 'KEPT' } };
    const shrinking = poolBody({
      extensions: [kvExtension({ observed: [versionedUrl] })],
      target: 0,
      current: 1,
      allocationState: 'Resizing',
    });
    const waiting = planBatchPool(
      whenIdle(),
      batchObservation({ pool: shrinking, nodes: nodesBody([{ id: 'tvm-1' }]) }),
      NOW,
      {
        recreateBody: kept,
      },
    );
    expect(step(waiting, Step.EnsurePool)).toMatchObject({
      state: StepState.Current,
      reason: Reason.WaitingForNodes,
    });
    expect(waiting.steps.flatMap((s) => s.changes)).toEqual([]);
    const empty = poolBody({
      extensions: [kvExtension({ observed: [versionedUrl] })],
      target: 0,
      current: 0,
    });
    const deleting = planBatchPool(noBody(), batchObservation({ pool: empty, nodes: nodesBody([]) }), NOW, {
      recreateBody: kept,
    });
    expect(onlyChange(deleting)).toEqual({
      op: 'DeletePool',
      pool: POOL,
      recreateBody: withRotation(noBody(), kept),
    });
    // spec.pool.body, when given, is what gets created.
    const fromSpec = onlyChange(
      planBatchPool(whenIdle(), batchObservation({ pool: empty, nodes: nodesBody([]) }), NOW, {
        recreateBody: kept,
      }),
    );
    if (fromSpec.op !== 'DeletePool') throw new Error(fromSpec.op);
    expect(fromSpec.recreateBody.properties?.['vmSize']).toBe('STANDARD_D2S_V3');
  });

  it('waits while the pool is being deleted, then creates the kept body', () => {
    const kept = { properties: { vmSize: 'KEPT' } };
    const gone = planBatchPool(
      whenIdle(),
      batchObservation({ pool: poolBody({ provisioningState: 'Deleting', target: 0, current: 0 }) }),
      NOW,
      {
        recreateBody: kept,
      },
    );
    expect(step(gone, Step.EnsurePool).state).toBe(StepState.Current);
    expect(gone.steps.flatMap((s) => s.changes)).toEqual([]);
    // Without spec.pool.body the kept body is created, with the spec's identity and extension applied.
    const absent = planBatchPool(noBody(), batchObservation({ pool: undefined, nodes: undefined }), NOW, {
      recreateBody: kept,
    });
    const created = onlyChange(absent);
    if (created.op !== 'CreatePool') throw new Error(created.op);
    expect(created.body.properties?.['vmSize']).toBe('KEPT');
    expect(created.body).toEqual(withRotation(noBody(), kept));
  });
});

describe('planBatchPool: gates and vault hazards', () => {
  const absent = () => batchObservation({ pool: undefined, nodes: undefined });

  it('holds changes while suspended', () => {
    const plan = planBatchPool(
      batchSpec({ policy: { ...batchSpec().policy, suspend: true } }),
      absent(),
      NOW,
    );
    expect(plan.phase).toBe(Phase.Suspended);
    expect(step(plan, Step.EnsurePool).deferredChanges?.[0]?.op).toBe('CreatePool');
    expect(plan.steps.flatMap((s) => s.changes)).toEqual([]);
  });

  it('waits for approval under approval Manual, and runs the approved step', () => {
    const spec = batchSpec({ policy: { ...batchSpec().policy, approval: 'Manual' } });
    expect(planBatchPool(spec, absent(), NOW).phase).toBe(Phase.AwaitingApproval);
    const approved = planBatchPool(spec, absent(), NOW, { approvedStep: Step.EnsurePool });
    expect(onlyChange(approved).op).toBe('CreatePool');
  });

  it('holds changes outside every maintenance window', () => {
    // NOW is Monday 2026-06-01 12:00 UTC.
    const closed = batchSpec({
      policy: {
        ...batchSpec().policy,
        maintenanceWindows: [{ days: ['Sat'], start: '01:00', duration: '2h', timezone: 'UTC' }],
      },
    });
    const plan = planBatchPool(closed, absent(), NOW);
    expect(step(plan, Step.EnsurePool).reason).toBe(Reason.OutsideMaintenanceWindow);
    expect(plan.steps.flatMap((s) => s.changes)).toEqual([]);
  });

  it('blocks on a vault version from an unpinned issuer', () => {
    const plan = planBatchPool(
      batchSpec(),
      batchObservation({ versions: [version('v1', 0), version('v2', 1, { issuer: OTHER_ISSUER })] }),
      NOW,
    );
    expect(plan.phase).toBe(Phase.Blocked);
    expect(plan.hazards[0]).toMatchObject({ reason: Hazard.IssuerNotPinned, severity: Severity.Blocking });
  });

  it('quarantines an unpinned version when asked to, before anything else', () => {
    const spec = batchSpec({ policy: { ...batchSpec().policy, quarantineUntrustedVersions: true } });
    const plan = planBatchPool(
      spec,
      batchObservation({ versions: [version('v1', 0), version('v2', 1, { issuer: OTHER_ISSUER })] }),
      NOW,
    );
    expect(onlyChange(plan)).toMatchObject({ op: 'DisableVaultVersion', version: 'v2' });
    expect(plan.hazards.map((h) => h.reason)).not.toContain(Hazard.IssuerNotPinned);
  });

  it('warns on expiry and on a vault policy without AutoRenew', () => {
    const soon = version('v1', 0, { notBefore: daysFromNow(-300), notAfter: daysFromNow(3) });
    const plan = planBatchPool(batchSpec(), batchObservation({ versions: [soon], autoRenew: false }), NOW);
    expect(plan.phase).toBe(Phase.Steady);
    expect(hazardReasons(plan)).toEqual([Hazard.NoAutoRenewPolicy, Hazard.CertificateExpiringSoon]);
    expect(plan.hazards[1]?.message).toContain('critical');
  });

  it('reports a conflicting claim as blocking', () => {
    const plan = planBatchPool(batchSpec(), absent(), NOW, { conflictingRotation: 'ns/other' });
    expect(plan.phase).toBe(Phase.Blocked);
    expect(plan.steps.flatMap((s) => s.changes)).toEqual([]);
  });
});
