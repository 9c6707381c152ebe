// `pool.json` (GET Microsoft.Batch/batchAccounts/{a}/pools/{p}, REST JSON with `properties` nesting and
// `identity`) and `pool.nodes.json` (the Batch service node list with each node's VM extensions, as
// src/azure/batch.ts listPoolNodes writes it) → BatchPoolObservation. Pure and defensive like the other
// parsers: an odd field reads as undefined, never throws [B-ROT][BATCH-REST].
import { arr, asObject, bool, field, num, str } from '../observed/json.js';
import { parseKeyVaultId } from '../observed/keyvault-url.js';
import { KEY_VAULT_EXTENSION_PUBLISHER, parseScaleSet } from '../observed/scale-set.js';
import { parseIdentity, parseVaultAccess, parseVaultCertificate, } from '../observed/vault.js';
/**
 * The pool's KeyVault extension settings, parsed by the scale-set parser (the settings schema is the
 * extension's, not the host's [KVW-24][KVL-25]): a pool extension is the scale-set extension's
 * `properties` without the nesting, so it is wrapped in a synthetic scale-set body.
 */
function keyVaultExtensionsOf(extensions) {
    const wrapped = {
        properties: {
            virtualMachineProfile: {
                extensionProfile: {
                    extensions: extensions.map((e) => ({ name: str(field(e, 'name')) ?? '', properties: e })),
                },
            },
        },
    };
    return [...parseScaleSet('pool', wrapped).keyVaultExtensions];
}
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
/** `keyExportable` per URL (the shared parser does not read it; Windows v3.0 only [KVW-24]). */
function keyExportableByUrl(extension) {
    const observed = arr(field(settingsObject(field(extension, 'settings')), 'secretsManagementSettings', 'observedCertificates'));
    const out = new Map();
    for (const o of observed) {
        const url = str(field(o, 'url'));
        const exportable = bool(field(o, 'keyExportable'));
        if (url !== undefined && exportable !== undefined)
            out.set(url, exportable);
    }
    return out;
}
function poolKeyVaultExtension(raw, parsed) {
    const exportable = keyExportableByUrl(raw);
    return {
        name: parsed.name,
        type: parsed.type,
        typeHandlerVersion: parsed.typeHandlerVersion,
        settingsForm: parsed.settingsForm,
        pollingIntervalInS: parsed.pollingIntervalInS,
        linkOnRenewal: parsed.linkOnRenewal,
        requireInitialSync: parsed.requireInitialSync,
        msiClientId: parsed.msiClientId,
        msiEndpoint: parsed.msiEndpoint,
        observedCertificates: parsed.observedCertificates.map((o) => {
            const id = parseKeyVaultId(o.url);
            return {
                url: o.url,
                vaultName: id?.vaultName,
                secretName: id?.name.toLowerCase(),
                collection: id?.collection,
                version: id?.version,
                certificateStoreName: o.certificateStoreName,
                certificateStoreLocation: o.certificateStoreLocation,
                keyExportable: exportable.get(o.url),
            };
        }),
    };
}
function eqi(a, b) {
    return a !== undefined && a.toLowerCase() === b.toLowerCase();
}
/** Batch node extension: `provisioningState` wins; the instance view's status codes otherwise [BATCH-REST]. */
function nodeExtensionStatus(ext) {
    const state = str(field(ext, 'provisioningState'));
    if (state !== undefined) {
        if (eqi(state, 'Succeeded'))
            return 'succeeded';
        if (eqi(state, 'Failed'))
            return 'failed';
        return 'transitioning';
    }
    const codes = arr(field(ext, 'instanceView', 'statuses')).flatMap((s) => {
        const code = str(field(s, 'code'));
        return code === undefined ? [] : [code.toLowerCase()];
    });
    if (codes.some((c) => c.startsWith('provisioningstate/failed')))
        return 'failed';
    if (codes.includes('provisioningstate/succeeded'))
        return 'succeeded';
    if (codes.some((c) => c.startsWith('provisioningstate/')))
        return 'transitioning';
    return 'unknown';
}
/** `pool.nodes.json`: `{"value":[node…], "nodeExtensions":{"<nodeId>":[NodeVMExtension…]}}`. */
export function parsePoolNodes(body) {
    const byNode = asObject(field(body, 'nodeExtensions')) ?? {};
    return arr(field(body, 'value')).flatMap((node) => {
        const id = str(field(node, 'id'));
        if (id === undefined)
            return [];
        const extensions = {};
        for (const ext of arr(byNode[id])) {
            const name = str(field(ext, 'vmExtension', 'name')) ?? str(field(ext, 'instanceView', 'name'));
            if (name !== undefined)
                extensions[name] = nodeExtensionStatus(ext);
        }
        return [
            {
                id,
                state: str(field(node, 'state')),
                runningTasks: num(field(node, 'runningTasksCount')) ?? 0,
                extensions,
            },
        ];
    });
}
export function parsePool(name, body, nodesBody) {
    const props = field(body, 'properties');
    const rawExtensions = arr(field(props, 'deploymentConfiguration', 'virtualMachineConfiguration', 'extensions'));
    const kvRaw = rawExtensions.filter((e) => eqi(str(field(e, 'publisher')), KEY_VAULT_EXTENSION_PUBLISHER));
    const parsed = keyVaultExtensionsOf(kvRaw);
    const identities = asObject(field(body, 'identity', 'userAssignedIdentities')) ?? {};
    const fixed = field(props, 'scaleSettings', 'fixedScale');
    return {
        name: str(field(body, 'name')) ?? name,
        id: str(field(body, 'id')),
        provisioningState: str(field(props, 'provisioningState')),
        allocationState: str(field(props, 'allocationState')),
        currentDedicatedNodes: num(field(props, 'currentDedicatedNodes')) ?? 0,
        currentLowPriorityNodes: num(field(props, 'currentLowPriorityNodes')) ?? 0,
        targetDedicatedNodes: num(field(fixed, 'targetDedicatedNodes')) ?? 0,
        targetLowPriorityNodes: num(field(fixed, 'targetLowPriorityNodes')) ?? 0,
        autoScale: field(props, 'scaleSettings', 'autoScale') !== undefined,
        identityType: str(field(body, 'identity', 'type')),
        userAssignedIdentityIds: Object.keys(identities).map((id) => id.toLowerCase()),
        keyVaultExtensions: parsed.map((p, i) => poolKeyVaultExtension(kvRaw[i], p)),
        nodes: nodesBody === undefined ? undefined : parsePoolNodes(nodesBody),
        body,
    };
}
export function observeBatchPool(poolName, bodies) {
    const identity = bodies.identity === undefined ? undefined : parseIdentity(bodies.identity);
    const access = {};
    for (const [vault, b] of Object.entries(bodies.access ?? {})) {
        access[vault.toLowerCase()] = parseVaultAccess(b.vault, identity?.principalId, b.roleAssignments);
    }
    return {
        pool: bodies.pool === undefined ? undefined : parsePool(poolName, bodies.pool, bodies.nodes),
        vault: bodies.vault === undefined
            ? undefined
            : parseVaultCertificate(bodies.vault.certificateName, bodies.vault.versions, bodies.vault.byVersion, {
                pendingOperation: bodies.vault.pendingOperation ?? false,
            }),
        access,
        identity,
    };
}
//# sourceMappingURL=observed.js.map