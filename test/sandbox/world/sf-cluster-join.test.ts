// Nodes that join a Service Fabric cluster while a certificate upgrade walks the upgrade domains
// (reliability seed 155): they start on the version the Failover Manager's gatekeeping gives them and
// end with the target configuration [SF-SRC FabricUpgradeManager.cpp].
import { describe, expect, it } from 'vitest';
import type { SimWorld } from '../../../src/sandbox/world/world.js';
import type { ScaleSetSim } from '../../../src/sandbox/world/scale-set.js';
import { newWorld } from './fixtures.js';
import {
  CN,
  certFrom,
  installKeyVaultExtension,
  patchCluster,
  thumbprintCluster,
  untilReady,
} from './cluster-fixture.js';

const UD_MS = 60_000;
const HOUR = 3_600_000;

function scaleOut(world: SimWorld, scaleSet: ScaleSetSim): void {
  const capacity = (scaleSet.resource.sku?.capacity ?? scaleSet.instances.length) + 1;
  scaleSet.write({ ...scaleSet.resource, sku: { ...scaleSet.resource.sku, capacity } }, world.now());
}

/** The documented TP→CN conversion with the autorollover extension already on both node types. */
function convertingCluster() {
  const { world, vault, clock } = newWorld({ udDurationMs: UD_MS });
  const fixture = thumbprintCluster(world, vault);
  vault.grant(fixture.identity);
  for (const s of fixture.scaleSets) installKeyVaultExtension(world, s, vault, fixture.identity);
  world.availability.reset();
  patchCluster(world, fixture.cluster, {
    certificate: null,
    certificateCommonNames: {
      commonNames: [{ certificateCommonName: CN, certificateIssuerThumbprint: fixture.issuer.thumbprint }],
      x509StoreName: 'My',
    },
  });
  const [nt1] = fixture.scaleSets;
  if (nt1 === undefined) throw new Error('no scale set');
  return { world, vault, clock, ...fixture, nt1 };
}

describe('a node joining during a cluster certificate upgrade [SF-SRC FabricUpgradeManager]', () => {
  it('ends with the target configuration and accepts the next renewal (seed 155)', () => {
    const { world, vault, clock, cluster, issuer, nt1 } = convertingCluster();
    expect(cluster.upgrades.at(-1)?.steps).toBe(3);
    // Step 1 has walked UDs 0–2 (the only UDs with nodes), step 2 has walked UD 0.
    clock.advance(4 * UD_MS);
    expect(cluster.upgradeInProgress()).toBe(true);
    scaleOut(world, nt1);
    const joined = nt1.instances.find((node) => node.name === 'nt1vm_3');
    expect(joined?.upgradeDomain).toBe(3);

    untilReady(clock, cluster, UD_MS);
    const nodes = world.clusterNodes(cluster);
    expect(nodes).toHaveLength(7);
    for (const node of nodes) {
      expect(node.sfConfig?.validation.thumbprints, node.name).toEqual([]);
      expect(
        node.sfConfig?.validation.commonNames.map((rule) => rule.commonName),
        node.name,
      ).toEqual([CN]);
      expect(
        node.sfConfig?.presentation.commonNames.map((rule) => rule.commonName),
        node.name,
      ).toEqual([CN]);
    }
    expect(world.availability.everUnavailable()).toBe(false);

    // Auto-rollover from the pinned issuer: every node, the joined one included, accepts the renewal.
    const renewal = vault.add('cluster-cert', certFrom(issuer, 0, 'A2'));
    clock.advance(HOUR + 1000);
    expect(world.availability.firstUnavailable()?.failures).toBeUndefined();
    expect(Object.values(world.availableNow(cluster).presented)).toEqual(
      Array(7).fill(renewal.certificate.thumbprint),
    );
  });

  it('starts on the last completed step in a UD not yet walked, and is walked in the running step', () => {
    const { world, clock, cluster, first, nt1 } = convertingCluster();
    const walked: string[] = [];
    world.onChange((cause) => {
      if (cause.includes('applied to UD'))
        walked.push(cause.replace(/^.*step (\d)\/3 applied to UD (\d).*$/, '$1:$2'));
    });
    clock.advance(4 * UD_MS); // step 1 done everywhere, step 2 on UD 0
    scaleOut(world, nt1);
    const joined = nt1.instances.find((node) => node.name === 'nt1vm_3');
    // Step 1's white list (thumbprint + common name), presenting by thumbprint: not the pre-upgrade one.
    expect(joined?.sfConfig?.validation.thumbprints).toEqual([first.certificate.thumbprint]);
    expect(joined?.sfConfig?.validation.commonNames.map((rule) => rule.commonName)).toEqual([CN]);
    expect(joined?.sfConfig?.presentation.thumbprints).toEqual([first.certificate.thumbprint]);

    untilReady(clock, cluster, UD_MS);
    expect(walked).toEqual(['1:0', '1:1', '1:2', '2:0', '2:1', '2:2', '2:3', '3:0', '3:1', '3:2', '3:3']);
    expect(world.availability.everUnavailable()).toBe(false);
  });

  it('starts on the running step in a UD that step has already walked', () => {
    const { world, clock, cluster, nt1 } = convertingCluster();
    scaleOut(world, nt1); // nt1vm_3, UD 3: walked in step 1 as well
    scaleOut(world, nt1); // nt1vm_4, UD 4
    // Step 1 on UDs 0–4, step 2 on UDs 0–3: UD 4 has not had step 2 yet.
    clock.advance(9 * UD_MS);
    expect(cluster.upgradeInProgress()).toBe(true);
    scaleOut(world, nt1); // nt1vm_5, UD 0: step 2 has walked it
    const joined = nt1.instances.find((node) => node.name === 'nt1vm_5');
    expect(joined?.upgradeDomain).toBe(0);
    // Step 2: still both in the white list, presenting by common name — like its UD's other nodes.
    expect(joined?.sfConfig?.validation.thumbprints).toHaveLength(1);
    expect(joined?.sfConfig?.presentation.commonNames.map((rule) => rule.commonName)).toEqual([CN]);
    expect(joined?.sfConfig).toEqual(nt1.instances.find((node) => node.name === 'nt1vm_0')?.sfConfig);
    // UD 4 still runs step 1 (presenting by thumbprint).
    expect(
      nt1.instances.find((node) => node.name === 'nt1vm_4')?.sfConfig?.presentation.thumbprints,
    ).toHaveLength(1);
    untilReady(clock, cluster, UD_MS);
    expect(world.availability.everUnavailable()).toBe(false);
  });
});
