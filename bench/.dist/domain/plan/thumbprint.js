// Service Fabric `mode: Thumbprint` (design §4): per new vault version, install the versioned secret on
// every node type → add it as secondary → swap → remove the old thumbprint → remove the old secret, each
// cluster change gated on `clusterState: Ready` [SF-UPD][SF-CERTS] (azure.md §1.3). After each cluster
// change, every node type's ServiceFabricNode extension is made to declare the same thumbprints (ARM step 3
// of [SF-UPD]), so a node created or reimaged from the model bootstraps with a certificate the cluster
// accepts. The cluster always changes first: the extension never names a thumbprint the cluster does not
// declare, nor one whose certificate is not on that node type.
import { Reason, Step } from '../names.js';
import { sameThumbprint } from '../x509.js';
import { actionable, satisfied, stuck, waitForCluster, } from './evaluation.js';
import { evaluateScaleSets, notSettledWhy, scaleSetTarget, versionInstalledVerdict, } from './scale-set-steps.js';
import { ensureVaultCertificateStep } from './vault-steps.js';
const NO_GOAL = 'the vault certificate has no enabled version to roll to';
function clusterTarget(world) {
    return `cluster/${world.spec.cluster.name}`;
}
/** The cluster's declaration against the new version N, or the evaluation that explains why there is none. */
function declared(world) {
    const n = world.goal?.thumbprint;
    if (n === undefined)
        return stuck(Reason.ResourceNotFound, NO_GOAL);
    const cert = world.observed.cluster.certificate;
    if (cert === undefined) {
        return stuck(Reason.Blocked, 'the cluster is not declared by thumbprint; mode Thumbprint cannot roll it over');
    }
    return {
        p: cert.thumbprint,
        s: cert.thumbprintSecondary,
        n,
        store: cert.x509StoreName ?? world.spec.certificate.x509StoreName,
    };
}
function isEvaluation(d) {
    return 'status' in d;
}
function patch(certificate, message) {
    const change = { op: 'PatchCluster', certificate };
    return actionable([change], message);
}
function waitCluster(world) {
    return waitForCluster(world.observed.cluster.clusterState);
}
/**
 * The certificate of `thumbprint` is on this node type: its versioned secret is in the scale set model, or
 * the KeyVault extension delivers it (the latest version). A thumbprint that is not a version of the vault
 * certificate cannot be judged; the cluster declares it, so it is taken as installed by whoever put it there.
 */
function installedOn(world, ss, thumbprint) {
    const v = world.versionByThumbprint(thumbprint);
    if (v === undefined)
        return true;
    if (world.hasVersionSecret(ss, v))
        return true;
    return v === world.vaultLatest && world.extensionDelivers(ss);
}
/**
 * What the node type's Service Fabric extension must declare to mirror the cluster's `primary`/`secondary`:
 * only thumbprints installed on that node type (a node looks for what the extension names and fails without
 * it). Undefined when none is installed: then the extension is left as it is.
 */
function extensionDeclarationFor(world, ss, store, primary, secondary) {
    const usable = [];
    for (const t of [primary, secondary]) {
        if (t !== undefined && installedOn(world, ss, t) && !usable.some((u) => sameThumbprint(u, t)))
            usable.push(t);
    }
    const [first, second] = usable;
    if (first === undefined)
        return undefined;
    return {
        certificate: { thumbprint: first, x509StoreName: store },
        certificateSecondary: second === undefined ? null : { thumbprint: second, x509StoreName: store },
    };
}
function extensionDeclares(ss, want) {
    const sf = ss.serviceFabricExtension;
    return (sf !== undefined &&
        sf.certificateCommonNames.length === 0 &&
        sameThumbprint(sf.certificateThumbprint, want.certificate.thumbprint) &&
        (want.certificateSecondary === null
            ? sf.certificateSecondaryThumbprint === undefined
            : sameThumbprint(sf.certificateSecondaryThumbprint, want.certificateSecondary.thumbprint)));
}
function extensionVerdict(world, nt, ss, d, primary, secondary, awaitRollout) {
    const sf = ss.serviceFabricExtension;
    const store = sf?.x509StoreName ?? d.store;
    const want = sf === undefined ? undefined : extensionDeclarationFor(world, ss, store, primary, secondary);
    if (sf === undefined || want === undefined || extensionDeclares(ss, want)) {
        if (!awaitRollout)
            return { kind: 'done' };
        const why = notSettledWhy(world, ss);
        return why === undefined ? { kind: 'done' } : { kind: 'settling', why };
    }
    return {
        kind: 'change',
        change: {
            op: 'SetServiceFabricExtensionCertificate',
            vmss: nt.vmssName,
            extensionName: sf.name,
            certificate: want.certificate,
            certificateSecondary: want.certificateSecondary,
        },
    };
}
/**
 * Once the cluster declares `primary`/`secondary` and is Ready, every node type's Service Fabric extension
 * is brought to the same declaration [SF-UPD]; complete when each scale set applied it to every instance
 * (`awaitRollout`), or as soon as every model declares it — for the last cluster step, whose rollout the
 * next step (RemoveOldSecret) waits for itself, so that step's own rollout does not reopen this one.
 */
function extensionsFollowCluster(world, d, primary, secondary, awaitRollout = true) {
    if (!world.clusterSettled)
        return waitCluster(world);
    const verdict = (nt, ss) => extensionVerdict(world, nt, ss, d, primary, secondary, awaitRollout);
    return evaluateScaleSets(world, verdict, {
        change: `declare ${primary}${secondary === undefined ? '' : ` (secondary ${secondary})`} on the Service Fabric extension`,
        settling: Reason.WaitingForScaleSetUpgrade,
    });
}
/** A cluster change, proposed only while the cluster is Ready. */
function whenClusterReady(world, change) {
    return world.clusterSettled ? change() : waitCluster(world);
}
function installNewVersion(world) {
    return {
        name: Step.InstallNewVersion,
        target: scaleSetTarget(world),
        evaluate: () => {
            const goal = world.goal;
            if (goal === undefined)
                return stuck(Reason.ResourceNotFound, NO_GOAL);
            // Nothing to roll over unless the cluster is declared by thumbprint: stop before touching anything.
            const d = declared(world);
            if (isEvaluation(d))
                return d;
            return evaluateScaleSets(world, (nt, ss) => versionInstalledVerdict(world, nt, ss, goal, false), {
                change: `add version ${goal.version} of ${world.spec.certificate.name}`,
                settling: Reason.WaitingForScaleSetUpgrade,
            });
        },
    };
}
function addSecondary(world) {
    return {
        name: Step.AddSecondaryThumbprint,
        target: clusterTarget(world),
        evaluate: () => {
            const d = declared(world);
            if (isEvaluation(d))
                return d;
            const pIsN = sameThumbprint(d.p, d.n);
            const sIsN = sameThumbprint(d.s, d.n);
            // Superseded once N is primary: the later steps bring the extension along from there.
            if (pIsN)
                return satisfied();
            if (sIsN)
                return extensionsFollowCluster(world, d, d.p, d.n);
            return whenClusterReady(world, () => {
                if (d.s !== undefined) {
                    // Two old thumbprints: first remove one, keeping the one the nodes present now (never both
                    // replaced at once, never an in-place replacement).
                    const keep = world.presentedBefore(world.datesOf(d.s), world.datesOf(d.p)) === true ? d.s : d.p;
                    return patch({ thumbprint: keep, x509StoreName: d.store }, 'two old thumbprints: remove one first');
                }
                return patch({ thumbprint: d.p, thumbprintSecondary: d.n, x509StoreName: d.store }, `declare ${d.n} as the secondary thumbprint`);
            });
        },
    };
}
function swap(world) {
    return {
        name: Step.SwapThumbprints,
        target: clusterTarget(world),
        evaluate: () => {
            const d = declared(world);
            if (isEvaluation(d))
                return d;
            const pIsN = sameThumbprint(d.p, d.n);
            if (pIsN && d.s === undefined)
                return satisfied();
            if (pIsN)
                return extensionsFollowCluster(world, d, d.n, d.s);
            return whenClusterReady(world, () => {
                if (!sameThumbprint(d.s, d.n))
                    return stuck(Reason.Blocked, `${d.n} is not declared as the secondary`);
                return patch({ thumbprint: d.n, thumbprintSecondary: d.p, x509StoreName: d.store }, `swap: ${d.n} primary, ${d.p} secondary`);
            });
        },
    };
}
function removeOld(world) {
    return {
        name: Step.RemoveOldThumbprint,
        target: clusterTarget(world),
        evaluate: () => {
            const d = declared(world);
            if (isEvaluation(d))
                return d;
            if (sameThumbprint(d.p, d.n) && d.s === undefined) {
                // Await this rollout only until RemoveOldSecret has made its changes, so that step's own rollout
                // does not reopen this one (RemoveOldSecret waits for every rollout itself before Steady).
                const goal = world.goal;
                const oldSecretsRemain = goal !== undefined &&
                    world.nodeTypes.some((nt) => nt.scaleSet !== undefined && removableOldSecrets(world, nt.scaleSet, goal).length > 0);
                return extensionsFollowCluster(world, d, d.n, undefined, oldSecretsRemain);
            }
            return whenClusterReady(world, () => patch({ thumbprint: d.n, x509StoreName: d.store }, `remove the old thumbprint ${d.s ?? ''}`.trim()));
        },
    };
}
/**
 * Versioned secrets of older versions in a scale set model that nothing needs any more. Never one the
 * cluster or this node type's Service Fabric extension still declares: its certificate must stay on every
 * node (a node bootstraps with what the extension names).
 */
function removableOldSecrets(world, ss, goal) {
    const cert = world.observed.cluster.certificate;
    const sf = ss.serviceFabricExtension;
    const keep = [
        cert?.thumbprint,
        cert?.thumbprintSecondary,
        sf?.certificateThumbprint,
        sf?.certificateSecondaryThumbprint,
    ];
    return world.certificateSecrets(ss).filter((s) => {
        if (s.version?.toLowerCase() === goal.version.toLowerCase())
            return false;
        const v = world.observed.vault.versions.find((x) => x.version.toLowerCase() === s.version?.toLowerCase());
        return !keep.some((tp) => v !== undefined && sameThumbprint(tp, v.thumbprint));
    });
}
function removeOldSecret(world) {
    return {
        name: Step.RemoveOldSecret,
        target: scaleSetTarget(world),
        evaluate: () => {
            const goal = world.goal;
            if (goal === undefined)
                return stuck(Reason.ResourceNotFound, NO_GOAL);
            return evaluateScaleSets(world, (nt, ss) => {
                const old = removableOldSecrets(world, ss, goal);
                if (old.length > 0) {
                    return {
                        kind: 'change',
                        change: {
                            op: 'RemoveScaleSetSecret',
                            vmss: nt.vmssName,
                            certificateUrls: old.map((s) => s.certificateUrl),
                        },
                    };
                }
                const why = notSettledWhy(world, ss);
                return why === undefined ? { kind: 'done' } : { kind: 'settling', why };
            }, { change: 'remove old versioned secrets', settling: Reason.WaitingForScaleSetUpgrade });
        },
    };
}
function steady(world) {
    return {
        name: Step.Steady,
        target: clusterTarget(world),
        evaluate: () => satisfied('the cluster uses the latest vault version'),
    };
}
export function thumbprintSteps(world) {
    return [
        ...(world.spec.certificate.policy === undefined ? [] : [ensureVaultCertificateStep(world)]),
        installNewVersion(world),
        addSecondary(world),
        swap(world),
        removeOld(world),
        removeOldSecret(world),
        steady(world),
    ];
}
//# sourceMappingURL=thumbprint.js.map