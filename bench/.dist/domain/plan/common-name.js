// Service Fabric `mode: CommonName` (design §4): GrantVaultAccess → InstallGoalCertificate →
// ReachValidStartingState → InstallKeyVaultExtension → ConvertClusterToCommonName → Steady, following the
// documented conversion order [SF-TP2CN][SF-MGMT] (azure.md §1.5–§1.6).
import { Reason, Step } from '../names.js';
import { KEY_VAULT_EXTENSION_PUBLISHER } from '../observed/scale-set.js';
import { actionable, satisfied, stuck, waitForCluster, } from './evaluation.js';
import { evaluateScaleSets, notSettledWhy, scaleSetTarget, versionInstalledVerdict, } from './scale-set-steps.js';
import { nextStartingStateUpgrade } from './starting-state.js';
import { ensureVaultCertificateStep, grantVaultAccessStep } from './vault-steps.js';
/** The extension name the SF-MGMT template uses; an existing KeyVault extension keeps its own name. */
export const DEFAULT_KEY_VAULT_EXTENSION_NAME = 'KVVMExtension';
/** IMDS identity endpoint for Azure VMs [KVW-24][KVL-25]. */
export const IMDS_IDENTITY_ENDPOINT = 'http://169.254.169.254/metadata/identity';
function clusterTarget(world) {
    return `cluster/${world.spec.cluster.name}`;
}
const NO_GOAL = 'the vault certificate has no enabled version to install';
/** A cluster this mode cannot convert, found before anything is touched. */
function unconvertibleCluster(world) {
    const cluster = world.observed.cluster;
    if (cluster.certificate !== undefined || world.clusterDeclaresSpecCommonName)
        return undefined;
    return stuck(Reason.Blocked, cluster.certificateCommonNames === undefined
        ? 'the cluster declares no certificate: an unsecured cluster cannot be secured in place [SF-SRC]'
        : `the cluster is declared by another common name than ${world.spec.certificate.commonName}`);
}
function installGoalCertificate(world) {
    return {
        name: Step.InstallGoalCertificate,
        target: scaleSetTarget(world),
        evaluate: () => {
            const goal = world.goal;
            if (goal === undefined)
                return stuck(Reason.ResourceNotFound, NO_GOAL);
            const unusable = unconvertibleCluster(world);
            if (unusable)
                return unusable;
            // After InstallKeyVaultExtension the versioned secret is gone from osProfile: the extension, which
            // follows the versionless secret, is what holds the goal on the nodes now.
            return evaluateScaleSets(world, (nt, ss) => versionInstalledVerdict(world, nt, ss, goal, world.clusterDeclaresSpecCommonName ||
                world.autoRolloverDeclared(ss) ||
                world.extensionDelivers(ss)), {
                change: `add version ${goal.version} of ${world.spec.certificate.name}`,
                settling: Reason.WaitingForScaleSetUpgrade,
            });
        },
    };
}
function reachValidStartingState(world) {
    return {
        name: Step.ReachValidStartingState,
        target: clusterTarget(world),
        evaluate: () => {
            const cluster = world.observed.cluster;
            if (world.clusterDeclaresSpecCommonName)
                return satisfied('the cluster is declared by common name');
            const goal = world.goal;
            if (goal?.thumbprint === undefined)
                return stuck(Reason.ResourceNotFound, NO_GOAL);
            const unusable = unconvertibleCluster(world);
            if (unusable || cluster.certificate === undefined)
                return unusable ?? stuck(Reason.Blocked, 'no certificate');
            const decision = nextStartingStateUpgrade(cluster.certificate, goal.thumbprint, (a, b) => world.presentedBefore(world.datesOf(a), world.datesOf(b)));
            if (decision.kind === 'valid') {
                return world.clusterSettled
                    ? satisfied(`valid starting state (${decision.rule})`)
                    : waitForCluster(cluster.clusterState);
            }
            if (!world.clusterSettled) {
                return waitForCluster(cluster.clusterState);
            }
            const change = {
                op: 'PatchCluster',
                certificate: {
                    thumbprint: decision.target.thumbprint,
                    ...(decision.target.thumbprintSecondary === undefined
                        ? {}
                        : { thumbprintSecondary: decision.target.thumbprintSecondary }),
                    x509StoreName: cluster.certificate.x509StoreName ?? world.spec.certificate.x509StoreName,
                },
            };
            return actionable([change], decision.rule);
        },
    };
}
export function keyVaultExtensionSettings(world, clientId) {
    const kv = world.spec.keyVaultExtension;
    return {
        secretsManagementSettings: {
            pollingIntervalInS: String(kv.pollingIntervalInS),
            linkOnRenewal: kv.type === 'KeyVaultForWindows' ? kv.linkOnRenewal : false,
            requireInitialSync: kv.requireInitialSync,
            observedCertificates: [
                {
                    url: world.secretUrl,
                    certificateStoreName: world.spec.certificate.x509StoreName,
                    certificateStoreLocation: 'LocalMachine',
                },
            ],
        },
        authenticationSettings: { msiEndpoint: IMDS_IDENTITY_ENDPOINT, msiClientId: clientId },
    };
}
function installKeyVaultExtensionChange(world, vmss, ss, clientId) {
    const existing = world.keyVaultExtension(ss);
    const extensionName = existing?.name ?? DEFAULT_KEY_VAULT_EXTENSION_NAME;
    const kv = world.spec.keyVaultExtension;
    return {
        op: 'InstallKeyVaultExtension',
        vmss,
        identityResourceId: world.spec.identity.resourceId,
        extensionName,
        publisher: KEY_VAULT_EXTENSION_PUBLISHER,
        type: kv.type,
        typeHandlerVersion: kv.typeHandlerVersion,
        settings: keyVaultExtensionSettings(world, clientId),
        serviceFabricExtension: {
            name: ss.serviceFabricExtension?.name ?? '',
            provisionAfterExtensions: [extensionName],
            certificate: {
                commonNames: [world.spec.certificate.commonName],
                x509StoreName: world.spec.certificate.x509StoreName,
            },
        },
        removeSecretUrls: world.certificateSecrets(ss).map((s) => s.certificateUrl),
    };
}
function installKeyVaultExtension(world) {
    return {
        name: Step.InstallKeyVaultExtension,
        target: scaleSetTarget(world),
        evaluate: () => {
            const clientId = world.clientId;
            if (clientId === undefined) {
                return stuck(Reason.ResourceNotFound, `the client id of identity ${world.spec.identity.resourceId} is unknown`);
            }
            const missingSf = world.nodeTypes.find((nt) => nt.scaleSet && nt.scaleSet.serviceFabricExtension === undefined);
            if (missingSf) {
                return stuck(Reason.ResourceNotFound, `scale set ${missingSf.vmssName} has no Service Fabric node extension`);
            }
            return evaluateScaleSets(world, (nt, ss) => {
                if (!world.autoRolloverDeclared(ss)) {
                    return {
                        kind: 'change',
                        change: installKeyVaultExtensionChange(world, nt.vmssName, ss, clientId),
                    };
                }
                const extName = world.keyVaultExtension(ss)?.name ?? DEFAULT_KEY_VAULT_EXTENSION_NAME;
                if (world.extensionSucceededEverywhere(ss, extName))
                    return { kind: 'done' };
                const why = notSettledWhy(world, ss) ??
                    `extension ${extName} not yet succeeded on: ${(ss.instances ?? [])
                        .filter((i) => i.extensions[extName] !== 'succeeded')
                        .map((i) => `${i.instanceId} (${i.extensions[extName] ?? 'absent'})`)
                        .join(', ')}`;
                return { kind: 'settling', why };
            }, {
                change: 'install the KeyVault extension and declare the common name',
                settling: Reason.WaitingForNodes,
            });
        },
    };
}
export function commonNameDeclaration(world) {
    return {
        commonNames: [
            {
                certificateCommonName: world.spec.certificate.commonName,
                certificateIssuerThumbprint: world.pins.join(','),
            },
        ],
        x509StoreName: world.spec.certificate.x509StoreName,
    };
}
function convertClusterToCommonName(world) {
    return {
        name: Step.ConvertClusterToCommonName,
        target: clusterTarget(world),
        evaluate: () => {
            if (world.clusterDeclaresSpecCommonName) {
                // The resource provider runs the conversion as a multi-step upgrade; Ready means it is over [SF-SRC].
                return world.clusterSettled ? satisfied() : waitForCluster(world.observed.cluster.clusterState);
            }
            if (!world.clusterSettled)
                return waitForCluster(world.observed.cluster.clusterState);
            const change = {
                op: 'SetClusterCommonNames',
                certificateCommonNames: commonNameDeclaration(world),
                removeCertificate: world.observed.cluster.certificate !== undefined,
            };
            return actionable([change], `declare ${world.spec.certificate.commonName} with the pinned issuers, remove the thumbprint`);
        },
    };
}
function samePins(a, b) {
    const sa = new Set(a.map((t) => t.toUpperCase()));
    const sb = new Set(b.map((t) => t.toUpperCase()));
    return sa.size === sb.size && [...sa].every((t) => sb.has(t));
}
/** Steady needs a pin update: the cluster's issuer pins differ from the spec's. */
export function pinsDrift(world) {
    const pins = world.clusterPins;
    return pins !== undefined && !samePins(pins, world.pins);
}
/** `; 5/6 instances report KVVMExtension succeeded` when instance data was gathered. */
function convergenceSummary(world) {
    let total = 0;
    let ok = 0;
    for (const nt of world.nodeTypes) {
        const ss = nt.scaleSet;
        const ext = ss === undefined ? undefined : world.keyVaultExtension(ss);
        if (ss?.instances === undefined || ext === undefined)
            continue;
        total += ss.instances.length;
        ok += ss.instances.filter((i) => i.extensions[ext.name] === 'succeeded').length;
    }
    return total === 0 ? '' : `; ${ok}/${total} instances report the KeyVault extension succeeded`;
}
function steady(world) {
    return {
        name: Step.Steady,
        target: clusterTarget(world),
        evaluate: () => {
            if (pinsDrift(world)) {
                if (!world.clusterSettled) {
                    return waitForCluster(world.observed.cluster.clusterState);
                }
                // An issuer-pin change for an unchanged common name is a simple configuration upgrade [SF-SRC].
                const change = {
                    op: 'SetClusterCommonNames',
                    certificateCommonNames: commonNameDeclaration(world),
                    removeCertificate: false,
                };
                return actionable([change], 'keep the cluster issuer pins equal to spec.certificate.issuerThumbprints');
            }
            return satisfied(`converged: renewals roll through the KeyVault extension${convergenceSummary(world)}`);
        },
    };
}
export function commonNameSteps(world) {
    return [
        ...(world.spec.certificate.policy === undefined ? [] : [ensureVaultCertificateStep(world)]),
        grantVaultAccessStep(world),
        installGoalCertificate(world),
        reachValidStartingState(world),
        installKeyVaultExtension(world),
        convertClusterToCommonName(world),
        steady(world),
    ];
}
//# sourceMappingURL=common-name.js.map