import { describe, expect, it } from 'vitest';
import { ca } from './fixtures.js';
import { newWorld } from './fixtures.js';
import {
  CN,
  certFrom,
  installKeyVaultExtension,
  patchCluster,
  setSecrets,
  thumbprintCluster,
  untilReady,
} from './cluster-fixture.js';

const HOUR = 3_600_000;

describe('availability oracle', () => {
  it('starts available: every node presents the thumbprint-declared certificate', () => {
    const { world, vault } = newWorld();
    const { cluster, first } = thumbprintCluster(world, vault);
    const answer = world.availableNow(cluster);
    expect(answer.available).toBe(true);
    expect(Object.values(answer.presented)).toEqual(Array(6).fill(first.certificate.thumbprint));
  });

  it('stays available through a correct thumbprint rollover (add secondary → swap → remove)', () => {
    const { world, vault, clock } = newWorld();
    const { cluster, scaleSets, issuer, first } = thumbprintCluster(world, vault);
    world.availability.reset();
    const next = vault.add('cluster-cert', certFrom(issuer, -1, 'B'));
    for (const s of scaleSets) setSecrets(s, vault, [first, next]);
    for (const s of scaleSets) expect(s.lastOperation?.status).toBe('Succeeded');

    const A = first.certificate.thumbprint;
    const B = next.certificate.thumbprint;
    patchCluster(world, cluster, {
      certificate: { thumbprint: A, thumbprintSecondary: B, x509StoreName: 'My' },
    });
    expect(cluster.clusterState()).toBe('UpdatingUserCertificate');
    expect(untilReady(clock, cluster)).toBeGreaterThan(0);
    patchCluster(world, cluster, {
      certificate: { thumbprint: B, thumbprintSecondary: A, x509StoreName: 'My' },
    });
    untilReady(clock, cluster);
    patchCluster(world, cluster, { certificate: { thumbprint: B, x509StoreName: 'My' } });
    untilReady(clock, cluster);
    for (const s of scaleSets) setSecrets(s, vault, [next]);

    expect(cluster.clusterState()).toBe('Ready');
    expect(world.availability.everUnavailable()).toBe(false);
    expect(world.availability.evaluationCount()).toBeGreaterThan(10);
    expect(Object.values(world.availableNow(cluster).presented)).toEqual(Array(6).fill(B));
    expect(cluster.upgrades.map((u) => u.steps)).toEqual([2, 2, 2]);
  });

  it('flags removing the certificate in use (the remaining one is on no node)', () => {
    const { world, vault, clock } = newWorld();
    const { cluster, issuer, first } = thumbprintCluster(world, vault);
    const missing = certFrom(issuer, -1, 'never-installed');
    patchCluster(world, cluster, {
      certificate: { thumbprint: first.certificate.thumbprint, thumbprintSecondary: missing.thumbprint },
    });
    untilReady(clock, cluster);
    expect(world.availability.everUnavailable()).toBe(false);
    patchCluster(world, cluster, { certificate: { thumbprint: missing.thumbprint } });
    untilReady(clock, cluster);
    const outage = world.availability.firstUnavailable();
    expect(outage).toBeDefined();
    expect(outage?.cause).toContain('applied to UD 0');
    expect(outage?.failures[0]?.reason).toContain('no unexpired certificate');
  });

  it('flags a node type without the certificate once the old one is removed', () => {
    const { world, vault, clock } = newWorld();
    const { cluster, scaleSets, issuer, first } = thumbprintCluster(world, vault);
    const next = vault.add('cluster-cert', certFrom(issuer, -1, 'B'));
    const [nt1] = scaleSets;
    if (nt1 === undefined) throw new Error('no scale set');
    setSecrets(nt1, vault, [first, next]); // nt2vm never gets B
    const A = first.certificate.thumbprint;
    const B = next.certificate.thumbprint;
    patchCluster(world, cluster, { certificate: { thumbprint: A, thumbprintSecondary: B } });
    untilReady(clock, cluster);
    patchCluster(world, cluster, { certificate: { thumbprint: B, thumbprintSecondary: A } });
    untilReady(clock, cluster);
    expect(world.availability.everUnavailable()).toBe(false);
    patchCluster(world, cluster, { certificate: { thumbprint: B } });
    untilReady(clock, cluster);
    const outage = world.availability.firstUnavailable();
    expect(outage?.failures.some((f) => f.presenter.startsWith('nt2vm'))).toBe(true);
    expect(world.availableNow(cluster).available).toBe(false);
  });

  it('keeps availability through the documented TP→CN conversion, then flags a renewal from an undeclared issuer', () => {
    const { world, vault, clock } = newWorld();
    const { cluster, scaleSets, issuer, identity, first } = thumbprintCluster(world, vault);
    world.availability.reset();
    vault.grant(identity);
    for (const s of scaleSets) installKeyVaultExtension(world, s, vault, identity);
    for (const s of scaleSets) expect(s.lastOperation?.status).toBe('Succeeded');
    patchCluster(world, cluster, {
      certificate: null,
      certificateCommonNames: {
        commonNames: [{ certificateCommonName: CN, certificateIssuerThumbprint: issuer.thumbprint }],
        x509StoreName: 'My',
      },
    });
    expect(cluster.upgrades.at(-1)?.steps).toBe(3);
    untilReady(clock, cluster);
    expect(world.availability.everUnavailable()).toBe(false);
    expect(Object.values(world.availableNow(cluster).presented)).toEqual(
      Array(6).fill(first.certificate.thumbprint),
    );

    // Auto-rollover from the pinned issuer: the extension installs it, every node presents it, all accept.
    const renewal = vault.add('cluster-cert', certFrom(issuer, 0, 'A2'));
    clock.advance(HOUR + 1000);
    expect(world.availability.everUnavailable()).toBe(false);
    expect(Object.values(world.availableNow(cluster).presented)).toEqual(
      Array(6).fill(renewal.certificate.thumbprint),
    );

    // A renewal from a new intermediate nobody pinned: presented (no issuer check on presentation) and rejected.
    const rogue = ca('contoso-issuing-2');
    vault.add('cluster-cert', certFrom(rogue, 0.05, 'A3'));
    clock.advance(HOUR + 1000);
    const outage = world.availability.firstUnavailable();
    expect(outage).toBeDefined();
    expect(outage?.cause).toContain('KeyVault extension installed');
    expect(outage?.failures.some((f) => f.reason.includes('is not pinned'))).toBe(true);
  });

  it('flags converting while a node type lacks the goal certificate', () => {
    const { world, vault, clock } = newWorld();
    const { cluster, scaleSets, issuer } = thumbprintCluster(world, vault);
    const goal = vault.add('cluster-cert', certFrom(issuer, -1, 'goal'));
    const [nt1] = scaleSets;
    if (nt1 === undefined) throw new Error('no scale set');
    setSecrets(nt1, vault, [goal]);
    // Converting straight to CN: nt2vm nodes only hold the old certificate, whose CN also matches,
    // but presentation picks the newest NotBefore — so nt1vm presents the goal, nt2vm the old one.
    patchCluster(world, cluster, {
      certificate: null,
      certificateCommonNames: {
        commonNames: [{ certificateCommonName: CN, certificateIssuerThumbprint: issuer.thumbprint }],
      },
    });
    untilReady(clock, cluster);
    // Both are pinned-issuer CN certificates, so the cluster survives — the oracle does not over-report.
    expect(world.availability.everUnavailable()).toBe(false);
    const presented = new Set(Object.values(world.availableNow(cluster).presented));
    expect(presented.size).toBe(2);
  });

  it('re-evaluates when a presented certificate expires', () => {
    const { world, vault, clock } = newWorld();
    thumbprintCluster(world, vault);
    expect(world.availability.everUnavailable()).toBe(false);
    clock.advance(400 * 86_400_000);
    const outage = world.availability.firstUnavailable();
    expect(outage?.cause).toContain('expired');
  });
});
