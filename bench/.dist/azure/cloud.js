// Azure cloud endpoints. The public cloud is the default; sovereign clouds are chosen by name
// (`AZURE_CLOUD`, as the az CLI names them) and every endpoint can be overridden by the variables
// Azure Service Operator uses (`AZURE_RESOURCE_MANAGER_ENDPOINT`, `AZURE_RESOURCE_MANAGER_AUDIENCE`)
// and @azure/identity reads (`AZURE_AUTHORITY_HOST`). Nothing here is a testing switch: the sandbox
// serves the public cloud's real host names.
export const AZURE_CLOUD_NAMES = ['AzurePublicCloud', 'AzureUSGovernment', 'AzureChinaCloud'];
const PRESETS = {
    AzurePublicCloud: {
        resourceManagerEndpoint: 'https://management.azure.com',
        resourceManagerAudience: 'https://management.azure.com',
        authorityHost: 'https://login.microsoftonline.com',
        keyVaultDnsSuffix: 'vault.azure.net',
        batchAudience: 'https://batch.core.windows.net',
    },
    AzureUSGovernment: {
        resourceManagerEndpoint: 'https://management.usgovcloudapi.net',
        resourceManagerAudience: 'https://management.usgovcloudapi.net',
        authorityHost: 'https://login.microsoftonline.us',
        keyVaultDnsSuffix: 'vault.usgovcloudapi.net',
        batchAudience: 'https://batch.core.usgovcloudapi.net',
    },
    AzureChinaCloud: {
        resourceManagerEndpoint: 'https://management.chinacloudapi.cn',
        resourceManagerAudience: 'https://management.chinacloudapi.cn',
        authorityHost: 'https://login.chinacloudapi.cn',
        keyVaultDnsSuffix: 'vault.azure.cn',
        batchAudience: 'https://batch.chinacloudapi.cn',
    },
};
/** Accepts the az CLI names and the short forms people type (`public`, `usgov`, `china`). */
export function parseCloudName(value) {
    const v = value
        .trim()
        .toLowerCase()
        .replace(/[^a-z]/g, '');
    if (v === 'azurepubliccloud' || v === 'azurecloud' || v === 'public')
        return 'AzurePublicCloud';
    if (v === 'azureusgovernment' || v === 'azureusgovernmentcloud' || v === 'usgov' || v === 'usgovernment')
        return 'AzureUSGovernment';
    if (v === 'azurechinacloud' || v === 'china')
        return 'AzureChinaCloud';
    return undefined;
}
function endpoint(value, what) {
    let url;
    try {
        url = new URL(value.trim());
    }
    catch {
        throw new RangeError(`${what} is not a URL: ${JSON.stringify(value)}`);
    }
    if (url.protocol !== 'https:')
        throw new RangeError(`${what} must be an https URL, got ${url.protocol}`);
    return url.toString().replace(/\/+$/, '');
}
/**
 * The cloud from the environment: `AZURE_CLOUD` preset, then the overrides. An endpoint override
 * without an audience keeps the endpoint as the audience (ASO's rule for sovereign clouds).
 */
export function resolveAzureCloud(env = process.env, cloudName) {
    const requested = cloudName ?? env.AZURE_CLOUD;
    let name = 'AzurePublicCloud';
    if (requested !== undefined && requested.trim() !== '') {
        const parsed = parseCloudName(requested);
        if (parsed === undefined) {
            throw new RangeError(`unknown Azure cloud ${JSON.stringify(requested)}; use one of ${AZURE_CLOUD_NAMES.join(', ')}`);
        }
        name = parsed;
    }
    const preset = PRESETS[name];
    const armEndpoint = nonEmpty(env.AZURE_RESOURCE_MANAGER_ENDPOINT);
    const armAudience = nonEmpty(env.AZURE_RESOURCE_MANAGER_AUDIENCE);
    const authority = nonEmpty(env.AZURE_AUTHORITY_HOST);
    const kvSuffix = nonEmpty(env.AZURE_KEYVAULT_DNS_SUFFIX);
    const resourceManagerEndpoint = armEndpoint === undefined
        ? preset.resourceManagerEndpoint
        : endpoint(armEndpoint, 'AZURE_RESOURCE_MANAGER_ENDPOINT');
    return {
        name,
        resourceManagerEndpoint,
        resourceManagerAudience: armAudience !== undefined
            ? endpoint(armAudience, 'AZURE_RESOURCE_MANAGER_AUDIENCE')
            : armEndpoint !== undefined
                ? resourceManagerEndpoint
                : preset.resourceManagerAudience,
        authorityHost: authority === undefined ? preset.authorityHost : endpoint(authority, 'AZURE_AUTHORITY_HOST'),
        keyVaultDnsSuffix: kvSuffix === undefined ? preset.keyVaultDnsSuffix : kvSuffix.replace(/^\.+/, '').toLowerCase(),
        batchAudience: preset.batchAudience,
    };
}
function nonEmpty(v) {
    return v === undefined || v.trim() === '' ? undefined : v.trim();
}
/** The OAuth scope for an audience: `<audience>/.default`. */
export function scopeOf(audience) {
    return `${audience.replace(/\/+$/, '')}/.default`;
}
/** True when ARM is the public cloud's: older SDKs then need no endpoint/scope overrides. */
export function isPublicArm(cloud) {
    return cloud.resourceManagerEndpoint === PRESETS.AzurePublicCloud.resourceManagerEndpoint;
}
/**
 * The vault's base URL for `spec.certificate.vault`: a URL is kept (lowercased host, no trailing slash),
 * a bare name gets the cloud's DNS suffix.
 */
export function vaultUrl(vault, cloud) {
    const trimmed = vault.trim().replace(/\/+$/, '');
    if (/^https:\/\//i.test(trimmed)) {
        const url = new URL(trimmed);
        return `https://${url.host.toLowerCase()}`;
    }
    if (!/^[a-zA-Z0-9-]{3,24}$/.test(trimmed))
        throw new RangeError(`not a vault name or URL: ${JSON.stringify(vault)}`);
    return `https://${trimmed.toLowerCase()}.${cloud.keyVaultDnsSuffix}`;
}
//# sourceMappingURL=cloud.js.map