// End to end: the real operator process (`kv-rollover run`, configured only from the sandbox's env file)
// converts the seed scenario's thumbprint-declared cluster, then a vault renewal rolls to every node.
// Outcomes are asserted in the simulated world and on the Azure resources, not as call sequences.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { runServiceFabricStory, type StoryReport } from '../../src/demo/story.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const operatorCommand = [process.execPath, '--import', 'tsx/esm', path.join(root, 'src/cli/main.ts')];

interface Extension {
  name: string;
  properties: {
    publisher?: string;
    type?: string;
    settings?: {
      secretsManagementSettings?: {
        requireInitialSync?: boolean;
        linkOnRenewal?: boolean;
        observedCertificates?: { url: string }[];
      };
      certificate?: unknown;
    };
    provisionAfterExtensions?: string[];
  };
}

interface ScaleSetJson {
  properties: {
    virtualMachineProfile: {
      osProfile?: { secrets?: { vaultCertificates: { certificateUrl: string }[] }[] };
      extensionProfile: { extensions: Extension[] };
    };
  };
}

interface ClusterJson {
  properties: {
    certificate?: unknown;
    certificateCommonNames: {
      commonNames: { certificateCommonName: string; certificateIssuerThumbprint: string }[];
    };
  };
}

interface StatusJson {
  phase: string;
  conditions: { type: string; status: string }[];
  plan: { steps: { name: string; state: string }[] };
}

let report: StoryReport;

beforeAll(async () => {
  report = await runServiceFabricStory({ operatorCommand, clockSpeed: 600, timeoutMs: 150_000 });
}, 180_000);

describe('Service Fabric conversion and rollover, end to end', () => {
  it('converges and the cluster never loses availability', () => {
    expect(report.message).toBe('converted, then rolled over to the renewal with no cluster change');
    expect(report.result).toBe('converged');
    expect(report.availability.evaluations).toBeGreaterThan(0);
    expect(report.availability.everUnavailable).toBe(false);
  });

  it('ends with the cluster declared by common name with the pinned issuer, never both forms', () => {
    const props = (report.cluster as ClusterJson).properties;
    expect(props.certificate).toBeUndefined();
    const names = props.certificateCommonNames.commonNames as {
      certificateCommonName: string;
      certificateIssuerThumbprint: string;
    }[];
    expect(names).toHaveLength(1);
    expect(names[0]!.certificateCommonName).toBe('cluster.contoso.com');
    expect(names[0]!.certificateIssuerThumbprint).toMatch(/^[0-9A-F]{40}$/);
  });

  it('leaves every scale set on the KeyVault extension with a versionless secret and no versioned secret', () => {
    expect(report.scaleSets).toHaveLength(2);
    for (const vmss of report.scaleSets as ScaleSetJson[]) {
      const profile = vmss.properties.virtualMachineProfile;
      const secrets = (profile.osProfile?.secrets ?? []) as {
        vaultCertificates: { certificateUrl: string }[];
      }[];
      expect(secrets.flatMap((s) => s.vaultCertificates)).toEqual([]);
      const extensions = profile.extensionProfile.extensions;
      const kv = extensions.find((e) => e.properties.publisher === 'Microsoft.Azure.KeyVault');
      const sf = extensions.find((e) => e.properties.publisher === 'Microsoft.Azure.ServiceFabric');
      expect(kv).toBeDefined();
      const sms = kv!.properties.settings?.secretsManagementSettings;
      expect(sms?.requireInitialSync).toBe(true);
      expect(sms?.linkOnRenewal).toBe(false);
      expect(sms?.observedCertificates?.map((o) => o.url)).toEqual([
        'https://kvr-demo-kv.vault.azure.net/secrets/cluster-cert',
      ]);
      expect(sf!.properties.provisionAfterExtensions).toEqual([kv!.name]);
      expect(sf!.properties.settings?.certificate).toEqual({
        commonNames: ['cluster.contoso.com'],
        x509StoreName: 'My',
      });
    }
  });

  it('rolls the renewal to every node with no cluster write', () => {
    expect(report.clusterWritesUntilConversion).toBeGreaterThanOrEqual(1);
    expect(report.clusterWritesAfterConversion).toBe(0);
    expect(report.final?.nodes).toBe(6);
    expect(report.final?.nodesOnLatest).toBe(6);
  });

  it('reports a Ready, Steady status with the plan in order', () => {
    const status = report.status as StatusJson;
    expect(status.phase).toBe('Steady');
    expect(status.conditions.find((c) => c.type === 'Ready')?.status).toBe('True');
    expect(status.plan.steps.map((s) => s.name)).toEqual([
      'GrantVaultAccess',
      'InstallGoalCertificate',
      'ReachValidStartingState',
      'InstallKeyVaultExtension',
      'ConvertClusterToCommonName',
      'Steady',
    ]);
    expect(
      status.plan.steps.every(
        (s: { state: string; name: string }) => s.state === (s.name === 'Steady' ? 'current' : 'done'),
      ),
    ).toBe(true);
  });
});
