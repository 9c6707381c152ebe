// Hazards (design §2 and §4; azure.md "Hazards"): each a pure check over the observed world. Severities
// follow design §2. A condition the current step is about to fix is not a hazard.
import { durationMinutes } from '../../api/duration.js';
import { Hazard, Severity, Step, type HazardReason, type HazardSeverity, type StepName } from '../names.js';
import { parseKeyVaultId } from '../observed/keyvault-url.js';
import type { VaultVersionObservation } from '../observed/types.js';
import { normalizeThumbprint, sameThumbprint } from '../x509.js';
import { pinsDrift } from './common-name.js';
import type { PlanContext, PlanHazard } from './types.js';
import { eqi, type DatedCertificate, type World } from './world.js';

export interface HazardInput {
  readonly world: World;
  readonly context: PlanContext;
  /** The current step, whose pending fix suppresses the hazard it fixes. */
  readonly currentStep: StepName;
}

type Found = PlanHazard;

function hazard(reason: HazardReason, severity: HazardSeverity, message: string): Found {
  return { reason, severity, message };
}

const MINUTE_MS = 60_000;

function isoDate(d: Date | undefined): string {
  return d === undefined ? 'unknown' : d.toISOString();
}

function describe(v: VaultVersionObservation): string {
  return `version ${v.version} (thumbprint ${v.thumbprint ?? 'unknown'})`;
}

/** Spec problems the schema cannot see: they need the observed cluster. Plus the validator's messages. */
export function invalidSpecHazards({ world, context }: HazardInput): Found[] {
  const found: Found[] = (context.specErrors ?? []).map((m) =>
    hazard(Hazard.InvalidSpec, Severity.Blocking, m),
  );
  const spec = world.spec;
  const clusterNodeTypes = world.observed.cluster.nodeTypeNames;
  if (clusterNodeTypes.length > 0) {
    const declared = spec.cluster.nodeTypes.map((n) => n.name.toLowerCase());
    const missing = clusterNodeTypes.filter((n) => !declared.includes(n.toLowerCase()));
    if (missing.length > 0) {
      // A declaration change before every node type holds the certificate can take the cluster down
      // [SF-UPD][SF-TP2CN]: every node type must be listed.
      found.push(
        hazard(
          Hazard.InvalidSpec,
          Severity.Blocking,
          `spec.cluster.nodeTypes lacks node type(s) ${missing.join(', ')} of cluster ${spec.cluster.name}`,
        ),
      );
    }
    const unknown = spec.cluster.nodeTypes.filter(
      (n) => !clusterNodeTypes.some((c) => c.toLowerCase() === n.name.toLowerCase()),
    );
    if (unknown.length > 0) {
      found.push(
        hazard(
          Hazard.InvalidSpec,
          Severity.Blocking,
          `spec.cluster.nodeTypes names node type(s) ${unknown.map((n) => n.name).join(', ')} that cluster ${spec.cluster.name} does not have`,
        ),
      );
    }
  }
  if (spec.mode === 'CommonName') {
    if (spec.certificate.issuerThumbprints.length === 0) {
      found.push(
        hazard(
          Hazard.InvalidSpec,
          Severity.Blocking,
          'mode CommonName needs at least one pinned issuer thumbprint',
        ),
      );
    }
    const bad = spec.certificate.issuerThumbprints.filter((t) => normalizeThumbprint(t) === undefined);
    if (bad.length > 0) {
      found.push(hazard(Hazard.InvalidSpec, Severity.Blocking, `not SHA-1 thumbprints: ${bad.join(', ')}`));
    }
    if (/^\s*CN=/i.test(spec.certificate.commonName) || spec.certificate.commonName.includes(',')) {
      found.push(
        hazard(
          Hazard.InvalidSpec,
          Severity.Blocking,
          'spec.certificate.commonName must be the bare common name, without "CN=" or other RDNs',
        ),
      );
    }
  }
  return found;
}

/** The version the cluster must trust next: the goal (CommonName), or the new version (Thumbprint). */
function checkedVersion(world: World): VaultVersionObservation | undefined {
  return world.goal;
}

function issuerHazards({ world, currentStep }: HazardInput): Found[] {
  const v = checkedVersion(world);
  if (v === undefined) return [];
  const spec = world.spec;
  const found: Found[] = [];
  if (spec.mode === 'CommonName' && v.selfSigned) {
    // Self-signed CN declarations are only acceptable pinned to their own thumbprint (tests) [SF-TP2CN].
    const selfPinned = world.pins.some((p) => sameThumbprint(p, v.thumbprint));
    found.push(
      hazard(
        Hazard.SelfSignedCommonName,
        selfPinned ? Severity.Warning : Severity.Blocking,
        selfPinned
          ? `${describe(v)} is self-signed and pinned to its own thumbprint: acceptable for tests only`
          : `${describe(v)} is self-signed: anyone can mint its subject; use a CA-issued certificate or pin its own thumbprint (tests only)`,
      ),
    );
    return found;
  }
  // In Thumbprint mode issuer pins are an optional allow-list.
  if (spec.mode === 'Thumbprint' && world.pins.length === 0) return found;
  if (!world.issuerPinnedBySpec(v)) {
    found.push(
      hazard(
        Hazard.IssuerNotPinned,
        Severity.Blocking,
        v.issuerThumbprint === undefined
          ? `the direct issuer of ${describe(v)} is unknown (no issuer chain): it cannot be checked against spec.certificate.issuerThumbprints`
          : `${describe(v)} is issued by ${v.issuerThumbprint}, which is not in spec.certificate.issuerThumbprints: pinned peers would reject it [SF-CERTS]`,
      ),
    );
    return found;
  }
  const clusterPins = world.clusterPins;
  const fixing = currentStep === Step.Steady && pinsDrift(world);
  if (
    spec.mode === 'CommonName' &&
    world.clusterDeclaresSpecCommonName &&
    clusterPins !== undefined &&
    !clusterPins.some((p) => sameThumbprint(p, v.issuerThumbprint)) &&
    !fixing
  ) {
    found.push(
      hazard(
        Hazard.IssuerNotPinned,
        Severity.Blocking,
        `${describe(v)} is issued by ${v.issuerThumbprint ?? '?'}, which the cluster does not pin yet`,
      ),
    );
  }
  return found;
}

/** Versions the nodes hold: in an osProfile secret, declared by the cluster, or polled by the extension. */
function installedVersions(world: World, goal: VaultVersionObservation): VaultVersionObservation[] {
  const versions = world.observed.vault.versions;
  const goalIndex = versions.indexOf(goal);
  const cert = world.observed.cluster.certificate;
  const extensionPolls = world.nodeTypes.some(
    (nt) => nt.scaleSet && world.extensionObservesCertificate(nt.scaleSet),
  );
  return versions.filter((v, i) => {
    if (v === goal) return false;
    if (extensionPolls && i < goalIndex) return true;
    if (cert && [cert.thumbprint, cert.thumbprintSecondary].some((tp) => sameThumbprint(tp, v.thumbprint)))
      return true;
    return world.nodeTypes.some((nt) => nt.scaleSet && world.hasVersionSecret(nt.scaleSet, v));
  });
}

function renewalNotPresented({ world }: HazardInput): Found[] {
  const goal = world.goal;
  if (goal === undefined) return [];
  const key = world.order;
  const beaten = installedVersions(world, goal).filter(
    (v) => (v.notAfter === undefined || v.notAfter > world.now) && world.presentedBefore(v, goal) === true,
  );
  if (beaten.length === 0) return [];
  return [
    hazard(
      Hazard.RenewalNotPresented,
      Severity.Warning,
      `${describe(goal)} has an earlier ${key} than installed ${beaten.map(describe).join(', ')}: the runtime ` +
        `(${world.observed.cluster.clusterCodeVersion ?? 'version unknown'}) presents the certificate with the ` +
        `${key === 'NotBefore' ? 'newest NotBefore' : 'farthest NotAfter'} [SF-CERTS], so the renewal is not presented`,
    ),
  ];
}

function dnsMatches(pattern: string, name: string): boolean {
  const p = pattern.toLowerCase();
  const n = name.toLowerCase();
  if (p === n) return true;
  if (p.startsWith('*.')) {
    const rest = n.split('.').slice(1).join('.');
    return rest === p.slice(2);
  }
  return false;
}

function commonNameNotInSan({ world }: HazardInput): Found[] {
  const goal = world.goal;
  if (world.spec.mode !== 'CommonName' || goal === undefined || goal.commonName === undefined) return [];
  const cn = world.spec.certificate.commonName;
  if (goal.dnsNames.some((d) => dnsMatches(d, cn))) return [];
  return [
    hazard(
      Hazard.CommonNameNotInSan,
      Severity.Warning,
      `${describe(goal)} does not list ${cn} among its DNS SANs; include the subject CN in the SANs [SF-MGMT]`,
    ),
  ];
}

function subset(a: readonly string[], b: readonly string[]): boolean {
  const sb = new Set(b.map((x) => x.toLowerCase()));
  return a.length > 0 && a.every((x) => sb.has(x.toLowerCase()));
}

function sanOverlap({ world, currentStep }: HazardInput): Found[] {
  const goal = world.goal;
  if (world.spec.mode !== 'CommonName' || goal === undefined || goal.dnsNames.length === 0) return [];
  const wanted =
    world.spec.keyVaultExtension.type === 'KeyVaultForWindows' && world.spec.keyVaultExtension.linkOnRenewal;
  const observedOn = world.nodeTypes.some(
    (nt) => nt.scaleSet && world.keyVaultExtension(nt.scaleSet)?.linkOnRenewal === true,
  );
  // An observed linkOnRenewal the spec turns off is fixed by InstallKeyVaultExtension when it is current.
  if (!wanted && !(observedOn && currentStep !== Step.InstallKeyVaultExtension)) return [];
  const overlapping = world.observed.otherCertificates.filter(
    (o) => subset(o.dnsNames, goal.dnsNames) || subset(goal.dnsNames, o.dnsNames),
  );
  if (overlapping.length === 0) return [];
  return [
    hazard(
      Hazard.SanOverlapWithLinkOnRenewal,
      Severity.Blocking,
      `linkOnRenewal links certificates by SAN inclusion across vault certificates [SF-MGMT]; ${describe(goal)} ` +
        `shares SANs with ${overlapping.map((o) => o.name).join(', ')}: set keyVaultExtension.linkOnRenewal false or separate the SANs`,
    ),
  ];
}

function extensionSettingHazards({ world, currentStep }: HazardInput): Found[] {
  const found: Found[] = [];
  if (
    world.spec.mode !== 'CommonName' &&
    !world.nodeTypes.some((nt) => nt.scaleSet?.keyVaultExtensions.length)
  ) {
    return found;
  }
  const fixing = currentStep === Step.InstallKeyVaultExtension;
  if (!world.spec.keyVaultExtension.requireInitialSync) {
    found.push(
      hazard(
        Hazard.InitialSyncDisabled,
        Severity.Warning,
        'keyVaultExtension.requireInitialSync is false: nodes can start without their certificate and the cluster deployment fails [SF-MGMT]',
      ),
    );
  } else if (!fixing) {
    const off = world.nodeTypes.filter(
      (nt) => nt.scaleSet && world.keyVaultExtension(nt.scaleSet)?.requireInitialSync === false,
    );
    if (off.length > 0) {
      found.push(
        hazard(
          Hazard.InitialSyncDisabled,
          Severity.Warning,
          `the KeyVault extension on ${off.map((n) => n.vmssName).join(', ')} has requireInitialSync false [SF-MGMT]`,
        ),
      );
    }
  }
  if (!fixing) {
    const versioned = world.nodeTypes.filter((nt) =>
      (nt.scaleSet === undefined
        ? undefined
        : world.keyVaultExtension(nt.scaleSet)
      )?.observedCertificates.some(
        (o) => world.observesCertificate(o.url) && parseKeyVaultId(o.url)?.version !== undefined,
      ),
    );
    if (versioned.length > 0) {
      found.push(
        hazard(
          Hazard.VersionedObservedCertificate,
          Severity.Warning,
          `the KeyVault extension on ${versioned.map((n) => n.vmssName).join(', ')} observes a versioned URL: renewals never reach the nodes`,
        ),
      );
    }
  }
  return found;
}

function scaleSetNotAutomatic({ world }: HazardInput): Found[] {
  const manual = world.nodeTypes.filter(
    (nt) => nt.scaleSet?.upgradeMode !== undefined && !eqi(nt.scaleSet.upgradeMode, 'Automatic'),
  );
  if (manual.length === 0) return [];
  return [
    hazard(
      Hazard.ScaleSetNotAutomaticUpgrade,
      Severity.Blocking,
      `scale set(s) ${manual.map((n) => `${n.vmssName} (${n.scaleSet?.upgradeMode ?? '?'})`).join(', ')} do not use ` +
        'upgradePolicy Automatic; a Service Fabric scale set can only use Automatic [VMSS-UP]',
    ),
  ];
}

function vaultAccessMissing({ world }: HazardInput): Found[] {
  const access = world.observed.access;
  if (world.spec.mode !== 'CommonName' || access?.identityCanReadSecrets !== false) return [];
  if (world.spec.identity.grantVaultAccess) return [];
  return [
    hazard(
      Hazard.VaultAccessMissing,
      Severity.Blocking,
      `identity ${world.spec.identity.resourceId} may not get/list secrets of vault ${world.vaultName} ` +
        `(${access.model}) and spec.identity.grantVaultAccess is false: grant it, or allow the operator to`,
    ),
  ];
}

function noAutoRenew({ world }: HazardInput): Found[] {
  const policy = world.observed.vault.policy;
  if (world.spec.certificate.policy !== undefined || policy === undefined || policy.autoRenew) return [];
  return [
    hazard(
      Hazard.NoAutoRenewPolicy,
      Severity.Warning,
      `the vault policy of ${world.spec.certificate.name} has no AutoRenew lifetime action: nothing will ever rotate`,
    ),
  ];
}

/** The certificate the cluster uses now: the presented one of a thumbprint declaration, else the goal. */
export function inUseCertificate(world: World): (DatedCertificate & { version?: string }) | undefined {
  const cert = world.observed.cluster.certificate;
  if (cert === undefined) return world.goal;
  const p = world.datesOf(cert.thumbprint);
  const s = cert.thumbprintSecondary === undefined ? undefined : world.datesOf(cert.thumbprintSecondary);
  if (s !== undefined && world.presentedBefore(s, p) === true) return s;
  return p ?? { thumbprint: cert.thumbprint, notBefore: undefined, notAfter: undefined };
}

function expiry({ world }: HazardInput): Found[] {
  const warnMinutes = durationMinutes(world.spec.policy.expiryWarning) ?? 30 * 1440;
  const criticalMinutes = durationMinutes(world.spec.policy.expiryCritical) ?? 7 * 1440;
  const candidates = [inUseCertificate(world), world.goal].filter(
    (c, i, all): c is DatedCertificate =>
      c !== undefined && all.findIndex((x) => x?.thumbprint === c.thumbprint) === i,
  );
  const found: Found[] = [];
  for (const c of candidates) {
    if (c.notAfter === undefined) continue;
    const left = c.notAfter.getTime() - world.now.getTime();
    if (left <= 0) {
      found.push(
        hazard(
          Hazard.CertificateExpired,
          Severity.Warning,
          `certificate ${c.thumbprint ?? '?'} expired at ${isoDate(c.notAfter)}`,
        ),
      );
    } else if (left < warnMinutes * MINUTE_MS) {
      const critical = left < criticalMinutes * MINUTE_MS;
      found.push(
        hazard(
          Hazard.CertificateExpiringSoon,
          Severity.Warning,
          `certificate ${c.thumbprint ?? '?'} expires at ${isoDate(c.notAfter)}` +
            `${critical ? ` (critical: within ${world.spec.policy.expiryCritical})` : ` (within ${world.spec.policy.expiryWarning})`}`,
        ),
      );
    }
  }
  // One hazard per reason: keep the first (the in-use certificate's) message.
  return found.filter((h, i) => found.findIndex((x) => x.reason === h.reason) === i);
}

function nodeTypeMissingCertificate({ world, currentStep }: HazardInput): Found[] {
  if (currentStep === Step.InstallGoalCertificate || currentStep === Step.InstallNewVersion) return [];
  const cert = world.observed.cluster.certificate;
  if (cert === undefined) return [];
  const missing: string[] = [];
  for (const tp of [cert.thumbprint, cert.thumbprintSecondary]) {
    const v = world.versionByThumbprint(tp);
    // Only certificates of this vault certificate can be checked against osProfile.
    if (v === undefined) continue;
    for (const nt of world.nodeTypes) {
      const ss = nt.scaleSet;
      if (ss === undefined) continue;
      // The extension holds the latest version; once the cluster declares it, an older declared
      // certificate left only on existing VMs (osProfile no longer lists it) is harmless.
      const latestDeclared = [cert.thumbprint, cert.thumbprintSecondary].some((t) =>
        sameThumbprint(t, world.vaultLatest?.thumbprint),
      );
      const viaExtension =
        world.extensionObservesCertificate(ss) && (v === world.vaultLatest || latestDeclared);
      if (!world.hasVersionSecret(ss, v) && !viaExtension)
        missing.push(`${v.thumbprint ?? '?'} on ${nt.vmssName}`);
    }
  }
  if (missing.length === 0) return [];
  return [
    hazard(
      Hazard.NodeTypeMissingCertificate,
      Severity.Warning,
      `the cluster declares a certificate that is not installed on every node type: ${missing.join(', ')} [SF-UPD]`,
    ),
  ];
}

function conflicting({ context }: HazardInput): Found[] {
  if (context.conflictingRotation === undefined) return [];
  return [
    hazard(
      Hazard.ConflictingRotation,
      Severity.Blocking,
      `rotation ${context.conflictingRotation} also claims this cluster; only one rotation may drive a cluster`,
    ),
  ];
}

/**
 * The vault's newest version is disabled (a quarantined renewal, or disabled by hand). Key Vault refuses
 * to read a disabled secret, and the versionless URL the KeyVault extension observes names the newest
 * version, so every extension read fails: nodes keep the certificate they have, but an extension
 * installed now (or a new or reimaged node) with `requireInitialSync` never finishes its first sync and
 * its scale set stays `Updating` (reliability seed 152). Blocking while the extension is to be
 * installed; a warning otherwise. Thumbprint mode reads versioned URLs and is not affected.
 */
function latestVersionDisabled({ world, currentStep }: HazardInput): Found[] {
  if (world.spec.mode !== 'CommonName') return [];
  const newest = world.observed.vault.versions.at(-1);
  if (newest === undefined || newest.enabled) return [];
  const installing = currentStep === Step.InstallKeyVaultExtension;
  return [
    hazard(
      Hazard.LatestVersionDisabled,
      installing ? Severity.Blocking : Severity.Warning,
      `the newest version ${newest.version} of ${world.spec.certificate.name} is disabled: the KeyVault extension's versionless read is refused, so no extension install, new node or reimage can finish its first sync until a newer enabled version exists; renew the certificate from a pinned issuer`,
    ),
  ];
}

/** Every hazard of the world, blocking ones first, at most one entry per reason and severity. */
export function evaluateHazards(input: HazardInput): PlanHazard[] {
  const all = [
    ...invalidSpecHazards(input),
    ...conflicting(input),
    ...vaultAccessMissing(input),
    ...scaleSetNotAutomatic(input),
    ...issuerHazards(input),
    ...sanOverlap(input),
    ...renewalNotPresented(input),
    ...commonNameNotInSan(input),
    ...extensionSettingHazards(input),
    ...noAutoRenew(input),
    ...expiry(input),
    ...nodeTypeMissingCertificate(input),
    ...latestVersionDisabled(input),
  ];
  const rank = { [Severity.Blocking]: 0, [Severity.Warning]: 1, [Severity.Info]: 2 };
  return all
    .map((h, i) => ({ h, i }))
    .sort((a, b) => rank[a.h.severity] - rank[b.h.severity] || a.i - b.i)
    .map((x) => x.h);
}
