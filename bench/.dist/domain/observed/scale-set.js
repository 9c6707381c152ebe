// `GET Microsoft.Compute/virtualMachineScaleSets/{name}` (REST JSON, nested `properties`, NOT the flattened
// arm-compute ≥24 SDK model) and optionally `GET …/virtualMachines?$expand=instanceView` → ScaleSetObservation.
// Shapes: osProfile.secrets [SF-MGMT][SF-UPD], extensionProfile [CMP-DESC], KeyVault extension settings
// v1.0 (string list) and v3.0 (object list) [KVW-24][KVL-25], ServiceFabricNode settings [SF-TP2CN].
import { normalizeThumbprint } from '../x509.js';
import { arr, asObject, bool, field, num, str } from './json.js';
import { parseKeyVaultId } from './keyvault-url.js';
export const KEY_VAULT_EXTENSION_PUBLISHER = 'Microsoft.Azure.KeyVault';
export const SERVICE_FABRIC_EXTENSION_PUBLISHER = 'Microsoft.Azure.ServiceFabric';
function eqi(a, b) {
    return a !== undefined && a.toLowerCase() === b.toLowerCase();
}
/** Extension settings are objects in REST; tolerate a JSON string (PowerShell-escaped templates do that). */
function settingsObject(value) {
    if (typeof value !== 'string')
        return value;
    try {
        return JSON.parse(value);
    }
    catch {
        return undefined;
    }
}
function parseSecrets(osProfile) {
    return arr(field(osProfile, 'secrets')).flatMap((group) => {
        const sourceVaultId = str(field(group, 'sourceVault', 'id'));
        return arr(field(group, 'vaultCertificates')).flatMap((vc) => {
            const certificateUrl = str(field(vc, 'certificateUrl'));
            if (certificateUrl === undefined)
                return [];
            const parsed = parseKeyVaultId(certificateUrl);
            return [
                {
                    sourceVaultId,
                    certificateUrl,
                    certificateStore: str(field(vc, 'certificateStore')),
                    vaultName: parsed?.vaultName,
                    secretName: parsed?.name,
                    version: parsed?.version,
                },
            ];
        });
    });
}
function parseKeyVaultExtension(name, props) {
    const settings = settingsObject(field(props, 'settings'));
    const sms = field(settings, 'secretsManagementSettings');
    const rawObserved = arr(field(sms, 'observedCertificates'));
    const objectForm = rawObserved.some((o) => asObject(o) !== undefined);
    // v1.0 carries one store for all certificates at the top level of secretsManagementSettings.
    const sharedStoreName = str(field(sms, 'certificateStoreName'));
    const sharedStoreLocation = str(field(sms, 'certificateStoreLocation'));
    const observedCertificates = rawObserved.flatMap((o) => {
        if (typeof o === 'string') {
            return [
                { url: o, certificateStoreName: sharedStoreName, certificateStoreLocation: sharedStoreLocation },
            ];
        }
        const url = str(field(o, 'url'));
        return url === undefined
            ? []
            : [
                {
                    url,
                    certificateStoreName: str(field(o, 'certificateStoreName')) ?? sharedStoreName,
                    certificateStoreLocation: str(field(o, 'certificateStoreLocation')) ?? sharedStoreLocation,
                },
            ];
    });
    return {
        name,
        publisher: str(field(props, 'publisher')) ?? KEY_VAULT_EXTENSION_PUBLISHER,
        type: str(field(props, 'type')) ?? '',
        typeHandlerVersion: str(field(props, 'typeHandlerVersion')),
        settingsForm: objectForm ? 'objects' : 'strings',
        pollingIntervalInS: num(field(sms, 'pollingIntervalInS')),
        linkOnRenewal: bool(field(sms, 'linkOnRenewal')),
        requireInitialSync: bool(field(sms, 'requireInitialSync')),
        observedCertificates,
        msiClientId: str(field(settings, 'authenticationSettings', 'msiClientId')),
        msiEndpoint: str(field(settings, 'authenticationSettings', 'msiEndpoint')),
    };
}
function parseServiceFabricExtension(name, props) {
    const settings = settingsObject(field(props, 'settings'));
    const cert = field(settings, 'certificate');
    const tp = str(field(cert, 'thumbprint'));
    const secondary = str(field(settings, 'certificateSecondary', 'thumbprint'));
    return {
        name,
        type: str(field(props, 'type')) ?? '',
        certificateThumbprint: tp === undefined ? undefined : (normalizeThumbprint(tp) ?? tp),
        certificateCommonNames: arr(field(cert, 'commonNames')).flatMap((c) => typeof c === 'string' ? [c] : []),
        certificateSecondaryThumbprint: secondary === undefined ? undefined : (normalizeThumbprint(secondary) ?? secondary),
        x509StoreName: str(field(cert, 'x509StoreName')),
        provisionAfterExtensions: arr(field(props, 'provisionAfterExtensions')).flatMap((e) => typeof e === 'string' ? [e] : []),
    };
}
function extensionStatusFromCode(codes) {
    const lowered = codes.map((c) => c.toLowerCase());
    if (lowered.some((c) => c.startsWith('provisioningstate/failed')))
        return 'failed';
    if (lowered.some((c) => c === 'provisioningstate/succeeded'))
        return 'succeeded';
    if (lowered.some((c) => c.startsWith('provisioningstate/')))
        return 'transitioning';
    return 'unknown';
}
function extensionStatusFromProvisioningState(state) {
    if (state === undefined)
        return 'unknown';
    if (eqi(state, 'Succeeded'))
        return 'succeeded';
    if (eqi(state, 'Failed'))
        return 'failed';
    return 'transitioning';
}
/** `GET …/virtualMachines?$expand=instanceView` body (`{value:[…]}`) → per-instance observations. */
export function parseScaleSetInstances(body) {
    return arr(field(body, 'value')).map((vm, index) => {
        const props = field(vm, 'properties');
        const extensions = {};
        // `resources` lists the instance's extensions with their provisioningState; the instance view's
        // statuses (`ProvisioningState/succeeded`) are more precise and win when present.
        for (const res of arr(field(vm, 'resources'))) {
            const name = str(field(res, 'name'));
            if (name !== undefined) {
                extensions[name] = extensionStatusFromProvisioningState(str(field(res, 'properties', 'provisioningState')));
            }
        }
        for (const ext of arr(field(props, 'instanceView', 'extensions'))) {
            const name = str(field(ext, 'name'));
            if (name === undefined)
                continue;
            const codes = arr(field(ext, 'statuses')).flatMap((s) => {
                const code = str(field(s, 'code'));
                return code === undefined ? [] : [code];
            });
            const status = extensionStatusFromCode(codes);
            if (status !== 'unknown' || extensions[name] === undefined)
                extensions[name] = status;
        }
        return {
            instanceId: str(field(vm, 'instanceId')) ?? str(field(vm, 'name')) ?? String(index),
            latestModelApplied: bool(field(props, 'latestModelApplied')) ?? false,
            extensions,
        };
    });
}
export function parseScaleSet(name, body, instancesBody) {
    const props = field(body, 'properties');
    const profile = field(props, 'virtualMachineProfile');
    const keyVaultExtensions = [];
    let serviceFabricExtension;
    for (const ext of arr(field(profile, 'extensionProfile', 'extensions'))) {
        const extName = str(field(ext, 'name')) ?? '';
        const extProps = field(ext, 'properties');
        const publisher = str(field(extProps, 'publisher'));
        if (eqi(publisher, KEY_VAULT_EXTENSION_PUBLISHER))
            keyVaultExtensions.push(parseKeyVaultExtension(extName, extProps));
        else if (eqi(publisher, SERVICE_FABRIC_EXTENSION_PUBLISHER) && serviceFabricExtension === undefined)
            serviceFabricExtension = parseServiceFabricExtension(extName, extProps);
    }
    const identities = asObject(field(body, 'identity', 'userAssignedIdentities')) ?? {};
    return {
        name: str(field(body, 'name')) ?? name,
        id: str(field(body, 'id')),
        provisioningState: str(field(props, 'provisioningState')),
        upgradeMode: str(field(props, 'upgradePolicy', 'mode')),
        identityType: str(field(body, 'identity', 'type')),
        userAssignedIdentityIds: Object.keys(identities).map((id) => id.toLowerCase()),
        secrets: parseSecrets(field(profile, 'osProfile')),
        keyVaultExtensions,
        serviceFabricExtension,
        instances: instancesBody === undefined ? undefined : parseScaleSetInstances(instancesBody),
    };
}
//# sourceMappingURL=scale-set.js.map