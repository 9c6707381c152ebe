import { asObject, field, str } from '../observed/json.js';
import { KEY_VAULT_EXTENSION_PUBLISHER } from '../observed/scale-set.js';
/** IMDS identity endpoint on Azure VMs, Batch nodes included [KVL-25][B-ROT]. */
export const IMDS_IDENTITY_ENDPOINT = 'http://169.254.169.254/metadata/identity';
/** The extension name used when the pool body declares none (the [B-ROT] example's name). */
export const DEFAULT_POOL_EXTENSION_NAME = 'KVExtensions';
/** Properties the Batch service computes; never part of a body to create [B-SPEC]. */
const READ_ONLY_PROPERTIES = [
    'provisioningState',
    'provisioningStateTransitionTime',
    'allocationState',
    'allocationStateTransitionTime',
    'creationTime',
    'lastModified',
    'currentDedicatedNodes',
    'currentLowPriorityNodes',
    'resizeOperationStatus',
    'autoScaleRun',
    'currentNodeCommunicationMode',
];
/**
 * Pool properties that can carry secret values (start task environment, user account passwords,
 * container registry passwords, mount credentials). A body derived from the observed pool is kept in
 * status while the pool is recreated, so it must hold none of them (design §7).
 */
export function secretBearingProperties(properties) {
    const nonEmpty = (value) => Array.isArray(value) && value.length > 0;
    const found = [];
    if (nonEmpty(field(properties, 'startTask', 'environmentSettings')))
        found.push('startTask.environmentSettings');
    if (nonEmpty(field(properties, 'userAccounts')))
        found.push('userAccounts');
    if (nonEmpty(field(properties, 'deploymentConfiguration', 'virtualMachineConfiguration', 'containerConfiguration', 'containerRegistries')))
        found.push('containerConfiguration.containerRegistries');
    if (nonEmpty(field(properties, 'mountConfiguration')))
        found.push('mountConfiguration');
    return found;
}
function isKeyVaultExtension(ext) {
    return str(field(ext, 'publisher'))?.toLowerCase() === KEY_VAULT_EXTENSION_PUBLISHER.toLowerCase();
}
/** The KeyVault extension exactly as the spec declares it. */
export function desiredExtension(spec, name) {
    const kv = spec.keyVaultExtension;
    const windows = kv.type === 'KeyVaultForWindows';
    return {
        name,
        publisher: KEY_VAULT_EXTENSION_PUBLISHER,
        type: kv.type,
        typeHandlerVersion: kv.typeHandlerVersion,
        autoUpgradeMinorVersion: true,
        settings: {
            secretsManagementSettings: {
                pollingIntervalInS: String(kv.pollingIntervalInS),
                ...(windows ? { linkOnRenewal: kv.linkOnRenewal } : {}),
                requireInitialSync: kv.requireInitialSync,
                observedCertificates: spec.certificates.map((c) => ({
                    url: c.secretId,
                    certificateStoreLocation: c.storeLocation,
                    ...(windows ? { certificateStoreName: c.storeName ?? 'My' } : {}),
                    ...(windows && c.keyExportable !== undefined ? { keyExportable: c.keyExportable } : {}),
                })),
            },
            authenticationSettings: { msiEndpoint: IMDS_IDENTITY_ENDPOINT, msiClientId: spec.identity.clientId },
        },
    };
}
/** `base` with the spec's identity and KeyVault extension; every other property kept as given. */
export function withRotation(spec, base) {
    const properties = structuredClone(base.properties ?? {});
    const deployment = asObject(properties['deploymentConfiguration']) ?? {};
    const vmConfig = asObject(deployment['virtualMachineConfiguration']) ?? {};
    const existing = Array.isArray(vmConfig['extensions']) ? vmConfig['extensions'] : [];
    const name = str(field(existing.find(isKeyVaultExtension), 'name')) ?? DEFAULT_POOL_EXTENSION_NAME;
    vmConfig['extensions'] = [...existing.filter((e) => !isKeyVaultExtension(e)), desiredExtension(spec, name)];
    deployment['virtualMachineConfiguration'] = vmConfig;
    properties['deploymentConfiguration'] = deployment;
    const wanted = spec.identity.resourceId.toLowerCase();
    const otherIdentities = Object.keys(asObject(field(base.identity, 'userAssignedIdentities')) ?? {}).filter((id) => id.toLowerCase() !== wanted);
    return {
        identity: {
            type: 'UserAssigned',
            userAssignedIdentities: Object.fromEntries([...otherIdentities, spec.identity.resourceId].map((id) => [id, {}])),
        },
        properties,
    };
}
/**
 * The body that recreates an observed pool: its properties minus what the service computes, its
 * user-assigned identities (their principal and client ids are read-only), then the rotation applied.
 */
export function recreationBaseFromObserved(body) {
    const properties = structuredClone(asObject(field(body, 'properties')) ?? {});
    for (const key of READ_ONLY_PROPERTIES)
        delete properties[key];
    const identities = Object.keys(asObject(field(body, 'identity', 'userAssignedIdentities')) ?? {});
    return {
        ...(identities.length === 0
            ? {}
            : {
                identity: {
                    type: 'UserAssigned',
                    userAssignedIdentities: Object.fromEntries(identities.map((id) => [id, {}])),
                },
            }),
        properties,
    };
}
//# sourceMappingURL=pool-body.js.map