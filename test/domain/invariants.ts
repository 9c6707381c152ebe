import { isDeepStrictEqual } from 'node:util';
// The documented invalid transitions (azure.md §1.5 and "Hazards") as checks over one plan and the world
// it was computed from. Used by table tests and fast-check properties alike.
import {
  SERVICE_FABRIC_COMMON_NAME_STEPS,
  SERVICE_FABRIC_THUMBPRINT_STEPS,
  Severity,
  Step,
  StepState,
} from '../../src/domain/names.js';
import type { ScaleSetObservation, ServiceFabricObservation } from '../../src/domain/observed/index.js';
import { planServiceFabric, type Plan } from '../../src/domain/plan/index.js';
import { apply, settle, type Spec } from './fixtures.js';

const same = (a: string | undefined, b: string | undefined) =>
  a !== undefined && b !== undefined && a.toUpperCase() === b.toUpperCase();

function declaredTps(o: ServiceFabricObservation): string[] {
  const c = o.cluster.certificate;
  return c === undefined ? [] : [c.thumbprint, ...(c.thumbprintSecondary ? [c.thumbprintSecondary] : [])];
}

function onEveryNodeType(o: ServiceFabricObservation, thumbprint: string): boolean {
  const v = o.vault.versions.find((x) => same(x.thumbprint, thumbprint));
  if (v === undefined) return false;
  const latest = o.vault.versions.filter((x) => x.enabled).at(-1);
  return o.scaleSets.every((s) => {
    const settled =
      s.provisioningState === 'Succeeded' && (s.instances ?? []).every((i) => i.latestModelApplied);
    if (s.secrets.some((x) => x.version === v.version) && settled) return true;
    // The KeyVault extension installs the latest version on every instance where it succeeded.
    const ext = s.keyVaultExtensions.find((e) =>
      e.observedCertificates.some((c) => c.url.includes(`/secrets/${o.vault.name}`)),
    );
    return (
      v === latest &&
      ext !== undefined &&
      settled &&
      (s.instances ?? []).every((i) => i.extensions[ext.name] === 'succeeded')
    );
  });
}

/**
 * A vault version's certificate is on one node type: its versioned secret is in the scale set model (or the
 * KeyVault extension delivers it as the latest version). Thumbprints from outside the vault cannot be judged.
 */
function installedOnScaleSet(
  o: ServiceFabricObservation,
  s: ScaleSetObservation,
  thumbprint: string,
): boolean {
  const v = o.vault.versions.find((x) => same(x.thumbprint, thumbprint));
  if (v === undefined) return true;
  if (s.secrets.some((x) => x.version === v.version)) return true;
  const latest = o.vault.versions.filter((x) => x.enabled).at(-1);
  return v === latest && s.keyVaultExtensions.length > 0;
}

/** Violations of the plan contract and of documented Azure rules; empty when the plan is safe. */
export function violations(spec: Spec, o: ServiceFabricObservation, plan: Plan): string[] {
  const out: string[] = [];
  const expected = (
    spec.mode === 'Thumbprint' ? SERVICE_FABRIC_THUMBPRINT_STEPS : SERVICE_FABRIC_COMMON_NAME_STEPS
  ).filter((s) => s !== Step.EnsureVaultCertificate || spec.certificate.policy !== undefined);
  if (plan.steps.map((s) => s.name).join() !== expected.join())
    out.push(`steps ${plan.steps.map((s) => s.name).join()}`);
  const active = plan.steps.filter((s) => s.state === StepState.Current || s.state === StepState.Blocked);
  if (active.length !== 1) out.push(`${active.length} current/blocked steps`);
  const idx = plan.steps.findIndex((s) => s === active[0]);
  plan.steps.forEach((s, i) => {
    if (i < idx && s.state !== StepState.Done) out.push(`${s.name} before the current step is ${s.state}`);
    if (i > idx && s.state !== StepState.Pending) out.push(`${s.name} after the current step is ${s.state}`);
    if (i !== idx && s.changes.length > 0) out.push(`${s.name} is not current but has changes`);
  });
  if (plan.currentStep !== active[0]?.name) out.push('currentStep does not name the current step');
  const changes = plan.steps.flatMap((s) => s.changes);
  if (plan.hazards.some((h) => h.severity === Severity.Blocking) && changes.length > 0) {
    out.push('changes proposed despite a blocking hazard');
  }
  if (active[0]?.state === StepState.Blocked && changes.length > 0) out.push('a blocked step has changes');

  const settled = o.cluster.clusterState === 'Ready';
  const current = declaredTps(o);
  const goal = o.vault.versions.filter((v) => v.enabled).at(-1);
  for (const c of changes) {
    switch (c.op) {
      case 'PatchCluster': {
        const target = [
          c.certificate.thumbprint,
          ...(c.certificate.thumbprintSecondary ? [c.certificate.thumbprintSecondary] : []),
        ];
        if (!settled) out.push('PatchCluster while the cluster is not Ready');
        if (o.cluster.certificate === undefined)
          out.push('PatchCluster on a cluster not declared by thumbprint');
        if (target.length === 2 && same(target[0], target[1]))
          out.push('same thumbprint as primary and secondary');
        if (!target.some((t) => current.some((x) => same(x, t)))) out.push('in-place thumbprint replacement');
        for (const t of target) {
          if (!current.some((x) => same(x, t)) && !onEveryNodeType(o, t)) {
            out.push(`declares ${t} before it is on every node type`);
          }
        }
        break;
      }
      case 'SetClusterCommonNames':
        if (!settled) out.push('SetClusterCommonNames while the cluster is not Ready');
        if (!c.removeCertificate && o.cluster.certificate !== undefined) {
          out.push('certificate and certificateCommonNames in one target');
        }
        if (c.removeCertificate) {
          if (!current.some((t) => same(t, goal?.thumbprint)))
            out.push('conversion to a certificate not in use by thumbprint');
          for (const s of o.scaleSets) {
            if (
              s.keyVaultExtensions.length === 0 ||
              s.serviceFabricExtension?.certificateCommonNames.length !== 1
            ) {
              out.push(`conversion before ${s.name} declares the common name`);
            }
            const ext = s.keyVaultExtensions[0];
            const converged =
              s.provisioningState === 'Succeeded' &&
              (s.instances ?? []).every(
                (i) => i.latestModelApplied && ext !== undefined && i.extensions[ext.name] === 'succeeded',
              );
            if (!converged)
              out.push(`conversion before the KeyVault extension succeeded on every instance of ${s.name}`);
          }
        }
        if (c.certificateCommonNames.commonNames.some((n) => n.certificateIssuerThumbprint === '')) {
          out.push('common name without pinned issuers');
        }
        break;
      case 'InstallKeyVaultExtension': {
        const url = c.settings.secretsManagementSettings.observedCertificates[0]?.url ?? '';
        if (/\/secrets\/[^/]+\/[^/]+$/.test(url)) out.push('versioned observed certificate');
        if (typeof c.settings.secretsManagementSettings.pollingIntervalInS !== 'string')
          out.push('polling interval not a string');
        if (o.cluster.certificate !== undefined) {
          const c0 = o.cluster.certificate;
          const goalDeclared = [c0.thumbprint, c0.thumbprintSecondary].some((t) => same(t, goal?.thumbprint));
          if (!goalDeclared) out.push('KeyVault extension before the cluster uses the goal by thumbprint');
          if (
            c0.thumbprintSecondary !== undefined &&
            !same(c0.thumbprintSecondary, goal?.thumbprint) &&
            !same(c0.thumbprint, goal?.thumbprint)
          ) {
            out.push('KeyVault extension before a valid starting state');
          }
        }
        if (
          o.cluster.certificate !== undefined &&
          !o.scaleSets.every(
            (s) =>
              goal === undefined ||
              s.secrets.some((x) => x.version === goal.version) ||
              s.keyVaultExtensions.length > 0,
          )
        ) {
          out.push('KeyVault extension before the goal is on every node type');
        }
        break;
      }
      case 'RemoveScaleSetSecret': {
        const sf = o.scaleSets.find((x) => x.name === c.vmss)?.serviceFabricExtension;
        for (const url of c.certificateUrls) {
          const v = o.vault.versions.find((x) => url.endsWith(`/${x.version}`));
          if (v && current.some((t) => same(t, v.thumbprint)))
            out.push(`removes the secret of declared ${v.thumbprint}`);
          if (
            v &&
            [sf?.certificateThumbprint, sf?.certificateSecondaryThumbprint].some((t) => same(t, v.thumbprint))
          )
            out.push(
              `removes the secret of ${v.thumbprint} that the Service Fabric extension of ${c.vmss} declares`,
            );
        }
        break;
      }
      case 'SetServiceFabricExtensionCertificate': {
        const ss = o.scaleSets.find((x) => x.name === c.vmss);
        if (ss === undefined) {
          out.push(`extension change on unknown scale set ${c.vmss}`);
          break;
        }
        if (ss.serviceFabricExtension?.name !== c.extensionName)
          out.push(`extension change names ${c.extensionName}, not the observed Service Fabric extension`);
        if (!['Succeeded', 'Failed', 'Canceled'].includes(ss.provisioningState ?? 'Succeeded'))
          out.push(`extension change on ${c.vmss} while an operation runs`);
        if (!settled) out.push('extension change while the cluster is not Ready');
        const target = [
          c.certificate.thumbprint,
          ...(c.certificateSecondary ? [c.certificateSecondary.thumbprint] : []),
        ];
        if (target.length === 2 && same(target[0], target[1]))
          out.push('extension declares the same thumbprint as primary and secondary');
        for (const t of target) {
          // Cluster first: the extension never names a thumbprint the cluster does not accept.
          if (!current.some((x) => same(x, t))) out.push(`extension declares ${t} that the cluster does not`);
          if (!installedOnScaleSet(o, ss, t))
            out.push(`extension of ${c.vmss} declares ${t} whose certificate is not on that node type`);
        }
        break;
      }
      case 'AddScaleSetSecret':
        if (!/\/secrets\/[^/]+\/[^/]+$/.test(c.certificateUrl))
          out.push('versionless URL in osProfile.secrets');
        break;
      case 'DisableVaultVersion': {
        const v = o.vault.versions.find((x) => x.version === c.version);
        if (v && spec.certificate.issuerThumbprints.some((p) => same(p, v.issuerThumbprint)))
          out.push('quarantines a pinned version');
        if (v && current.some((t) => same(t, v.thumbprint))) out.push('quarantines a declared version');
        break;
      }
      default:
        break;
    }
  }
  return out;
}

export interface DriveResult {
  readonly plans: Plan[];
  readonly final: ServiceFabricObservation;
  readonly violations: string[];
  /** Every change executed, in order. */
  readonly executed: Plan['steps'][number]['changes'][number][];
}

/**
 * Plans, executes the current step's changes in the test model, re-plans while Azure is still updating
 * (which must propose nothing), settles, and repeats until the plan proposes nothing.
 */
export function drive(spec: Spec, start: ServiceFabricObservation, now: Date, maxRounds = 30): DriveResult {
  const plans: Plan[] = [];
  const found: string[] = [];
  const executed: DriveResult['executed'] = [];
  let o = start;
  for (let round = 0; round < maxRounds; round++) {
    const plan = planServiceFabric(spec, o, now);
    plans.push(plan);
    found.push(...violations(spec, o, plan).map((v) => `round ${round} (${plan.currentStep}): ${v}`));
    const changes = plan.steps.flatMap((s) => s.changes);
    if (changes.length === 0) {
      // Nothing to do now: either at rest, or waiting for Azure to finish; let Azure finish and look again.
      const settled = settle(o);
      if (isDeepStrictEqual(settled, o)) return { plans, final: o, violations: found, executed };
      o = settled;
      continue;
    }
    for (const c of changes) {
      // A step is never repeated: once Azure applied a change, no later plan proposes it again.
      if (executed.some((e) => isDeepStrictEqual(e, c))) found.push(`round ${round}: ${c.op} proposed again`);
      o = apply(o, c);
      executed.push(c);
    }
    // Vault-side changes complete at once; cluster and scale set changes run for a while.
    if (changes.some((c) => c.op !== 'DisableVaultVersion' && c.op !== 'GrantVaultAccess')) {
      const during = planServiceFabric(spec, o, now);
      found.push(...violations(spec, o, during).map((v) => `round ${round} while updating: ${v}`));
      if (during.steps.some((s) => s.changes.length > 0)) {
        found.push(`round ${round}: proposed ${during.currentStep} changes while Azure was still updating`);
      }
    }
    o = settle(o);
  }
  found.push(`did not converge in ${maxRounds} rounds`);
  return { plans, final: o, violations: found, executed };
}
