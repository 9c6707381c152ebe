// The metric and alert names are a public contract: the docs must list every one, and nothing else.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { exposedFamilyNames } from './metric-names.js';
import { REPO_ROOT } from './tools.js';

const observability = readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
/** Names in the first column of the docs' metric tables. */
const documentedMetrics = [...observability.matchAll(/^\|\s*`(kvrollover_[a-z0-9_]+)`\s*\|/gm)].map(
  (m) => m[1]!,
);

describe('docs', () => {
  it('document every registered metric, and only those', async () => {
    const registered = await exposedFamilyNames();
    expect([...documentedMetrics].sort()).toEqual([...registered].sort());
  });

  it('document every alert', () => {
    const rule = parse(
      readFileSync(path.join(REPO_ROOT, 'deploy/prometheus/prometheusrule.yaml'), 'utf8'),
    ) as {
      spec: { groups: { rules: { alert?: string }[] }[] };
    };
    const alerts = rule.spec.groups
      .flatMap((group) => group.rules)
      .flatMap((r) => (r.alert ? [r.alert] : []));
    expect(alerts.length).toBeGreaterThan(0);
    for (const alert of alerts)
      expect(observability, alert).toMatch(new RegExp(`^\\|\\s*\`${alert}\`\\s*\\|`, 'm'));
  });

  it('ship a custom Azure role that reads certificates but no secrets and needs no wildcard on a provider', () => {
    const role = JSON.parse(
      readFileSync(path.join(REPO_ROOT, 'deploy/azure/operator-role.json'), 'utf8'),
    ) as {
      Name: string;
      IsCustom: boolean;
      Actions: string[];
      DataActions: string[];
      AssignableScopes: string[];
    };
    expect(role.IsCustom).toBe(true);
    expect(role.DataActions).toEqual(['Microsoft.KeyVault/vaults/certificates/read']);
    for (const action of role.Actions) {
      expect(action).not.toMatch(/^\*|^[^/]+\/\*$/);
      expect(action).not.toMatch(/secrets|roleAssignments\/write|accessPolicies\/write/);
    }
    expect(role.Actions).toEqual(
      expect.arrayContaining([
        'Microsoft.ServiceFabric/clusters/write',
        'Microsoft.Compute/virtualMachineScaleSets/write',
        'Microsoft.ManagedIdentity/userAssignedIdentities/assign/action',
        'Microsoft.Batch/batchAccounts/pools/write',
      ]),
    );
  });
});
