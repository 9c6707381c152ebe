// Microsoft.Compute/virtualMachineScaleSets over HTTP, as @azure/arm-compute 24.1.0 calls it
// (api-version 2026-03-01; any api-version is accepted, none is refused). Backed by the simulated
// world's scale sets: writes are ARM long-running operations (201/200 + Azure-AsyncOperation)
// that complete when every targeted instance applied the model and its extensions finished
// provisioning [ARM-ASYNC], azure.md §3.
import { armError, json } from '../router.js';
import { compact, invalidBody, mergePatch, missingApiVersion, resourceGroupNotFound, resourceNotFound, } from '../../world/rest.js';
import { isServiceFabricExtension, scaleSetExtensions, scaleSetSecrets, userAssignedIdentityIds, } from '../../world/vmss-model.js';
import { parseSecretUrl } from '../../world/types.js';
const TYPE = 'Microsoft.Compute/virtualMachineScaleSets';
const BASE = '/subscriptions/:sub/resourceGroups/:rg/providers/Microsoft.Compute/virtualMachineScaleSets';
const VMSS = `${BASE}/:name`;
/** Extension instance-view status in the Compute REST shape. */
export function extensionStatus(ext) {
    const time = ext.time.toISOString();
    switch (ext.state) {
        case 'succeeded':
            return {
                code: 'ProvisioningState/succeeded',
                level: 'Info',
                displayStatus: 'Provisioning succeeded',
                message: ext.message,
                time,
            };
        case 'failed':
            return {
                code: 'ProvisioningState/failed/-1',
                level: 'Error',
                displayStatus: 'Provisioning failed',
                message: ext.message,
                time,
            };
        default:
            return {
                code: 'ProvisioningState/transitioning',
                level: 'Info',
                displayStatus: 'Transitioning',
                message: ext.message,
                time,
            };
    }
}
function extensionProvisioningState(ext) {
    if (ext === undefined)
        return 'Creating';
    return ext.state === 'succeeded' ? 'Succeeded' : ext.state === 'failed' ? 'Failed' : 'Updating';
}
export function computeProvider(sim) {
    return (azure) => {
        const r = azure.router;
        const withScaleSet = (handler) => (ctx) => {
            sim.scheduler.flush();
            const missing = missingApiVersion(ctx);
            if (missing !== undefined)
                return missing;
            const { sub = '', rg = '', name = '' } = ctx.params;
            if (azure.getResourceGroup(rg, sub) === undefined)
                return resourceGroupNotFound(rg);
            const scaleSet = sim.scaleSet(sub, rg, name);
            return scaleSet === undefined ? resourceNotFound(TYPE, name, rg) : handler(ctx, scaleSet);
        };
        r.register('GET', 'arm', BASE, (ctx) => {
            const missing = missingApiVersion(ctx);
            if (missing !== undefined)
                return missing;
            const { sub = '', rg = '' } = ctx.params;
            if (azure.getResourceGroup(rg, sub) === undefined)
                return resourceGroupNotFound(rg);
            return json(200, { value: sim.listScaleSets(sub, rg).map((s) => scaleSetBody(s)) });
        }, { operation: `${TYPE}/read` });
        r.register('GET', 'arm', VMSS, withScaleSet((_ctx, s) => json(200, scaleSetBody(s))), { operation: `${TYPE}/read` });
        r.register('PUT', 'arm', VMSS, (ctx) => writeScaleSet(ctx, azure, sim, 'PUT'), {
            operation: `${TYPE}/write`,
        });
        r.register('PATCH', 'arm', VMSS, (ctx) => writeScaleSet(ctx, azure, sim, 'PATCH'), {
            operation: `${TYPE}/write`,
        });
        r.register('POST', 'arm', `${VMSS}/manualupgrade`, withScaleSet((ctx, s) => {
            const ids = instanceIdsOf(ctx.body);
            if (ids === undefined || ids.length === 0) {
                return armError(400, 'InvalidParameter', 'Required parameter instanceIds is missing (null).');
            }
            const unknown = ids.find((id) => !s.instances.some((n) => n.id === id));
            if (unknown !== undefined)
                return armError(404, 'NotFound', `Instance '${unknown}' of scale set '${s.name}' was not found.`);
            return longRunning(ctx, azure, s, s.manualUpgrade(ids, sim.now()), 202);
        }), { operation: `${TYPE}/manualUpgrade/action` });
        const reimage = withScaleSet((ctx, s) => longRunning(ctx, azure, s, s.reimage(instanceIdsOf(ctx.body), sim.now()), 202));
        r.register('POST', 'arm', `${VMSS}/reimage`, reimage, { operation: `${TYPE}/reimage/action` });
        r.register('POST', 'arm', `${VMSS}/reimageall`, reimage, { operation: `${TYPE}/reimageall/action` });
        r.register('GET', 'arm', `${VMSS}/instanceView`, withScaleSet((_ctx, s) => json(200, scaleSetInstanceView(s))), {
            operation: `${TYPE}/instanceView/read`,
        });
        r.register('GET', 'arm', `${VMSS}/virtualMachines`, withScaleSet((ctx, s) => {
            const filter = ctx.query.get('$filter');
            let instances = s.instances;
            if (filter !== null && filter !== '') {
                const match = /properties\/latestModelApplied\s+eq\s+(true|false)/i.exec(filter);
                if (match === null)
                    return armError(400, 'InvalidParameter', `The $filter '${filter}' is not supported.`);
                const wanted = match[1]?.toLowerCase() === 'true';
                instances = instances.filter((n) => s.latestModelApplied(n) === wanted);
            }
            const expand = (ctx.query.get('$expand') ?? '').toLowerCase().includes('instanceview');
            return json(200, { value: instances.map((n) => vmBody(s, n, expand)) });
        }), { operation: `${TYPE}/virtualMachines/read` });
        const instance = (ctx, s) => s.instances.find((n) => n.id === ctx.params['instanceId']) ??
            armError(404, 'NotFound', `The entity was not found in this Azure location (instance '${ctx.params['instanceId'] ?? ''}').`);
        const isNode = (value) => 'store' in value;
        r.register('GET', 'arm', `${VMSS}/virtualMachines/:instanceId`, withScaleSet((ctx, s) => {
            const node = instance(ctx, s);
            if (!isNode(node))
                return node;
            const expand = (ctx.query.get('$expand') ?? '').toLowerCase().includes('instanceview');
            return json(200, vmBody(s, node, expand));
        }), { operation: `${TYPE}/virtualMachines/read` });
        r.register('GET', 'arm', `${VMSS}/virtualMachines/:instanceId/instanceView`, withScaleSet((ctx, s) => {
            const node = instance(ctx, s);
            if (!isNode(node))
                return node;
            return json(200, vmInstanceView(s, node));
        }), { operation: `${TYPE}/virtualMachines/instanceView/read` });
        r.register('GET', 'arm', `${VMSS}/virtualMachines/:instanceId/extensions`, withScaleSet((ctx, s) => {
            const node = instance(ctx, s);
            if (!isNode(node))
                return node;
            const expand = (ctx.query.get('$expand') ?? '').toLowerCase().includes('instanceview');
            return json(200, {
                value: scaleSetExtensions(s.resource).map((ext) => vmExtensionBody(s, node, ext.name ?? '', expand)),
            });
        }), { operation: `${TYPE}/virtualMachines/extensions/read` });
        r.register('GET', 'arm', `${VMSS}/virtualMachines/:instanceId/extensions/:extensionName`, withScaleSet((ctx, s) => {
            const node = instance(ctx, s);
            if (!isNode(node))
                return node;
            const name = ctx.params['extensionName'] ?? '';
            if (!scaleSetExtensions(s.resource).some((e) => (e.name ?? '').toLowerCase() === name.toLowerCase())) {
                return armError(404, 'NotFound', `Extension '${name}' was not found on instance '${node.id}'.`);
            }
            const expand = (ctx.query.get('$expand') ?? '').toLowerCase().includes('instanceview');
            return json(200, vmExtensionBody(s, node, name, expand));
        }), { operation: `${TYPE}/virtualMachines/extensions/read` });
    };
}
function instanceIdsOf(body) {
    if (typeof body !== 'object' || body === null)
        return undefined;
    const ids = body.instanceIds;
    return Array.isArray(ids) ? ids.map(String) : undefined;
}
function longRunning(ctx, azure, s, op, status, body) {
    const handle = azure.lro.begin(ctx, {
        subscriptionId: s.subscriptionId,
        providerNamespace: 'Microsoft.Compute',
        location: s.resource.location ?? 'westeurope',
        isDone: () => op.status !== 'InProgress',
        onComplete: () => op.error,
        // An injected failure (faults.ts) fails the scale set's operation too, so GET agrees with the LRO.
        onFailed: (error) => s.fail(op, error, azure.clock.now()),
        result: () => scaleSetBody(s),
    });
    return {
        status,
        headers: handle.headers(status === 202 ? 'both' : 'async'),
        ...(body !== undefined ? { body } : {}),
    };
}
const READ_ONLY_PROPERTIES = ['provisioningState', 'uniqueId', 'timeCreated'];
function sanitizeInput(resource) {
    const clean = structuredClone(resource);
    for (const key of READ_ONLY_PROPERTIES)
        delete clean.properties?.[key];
    delete clean.id;
    delete clean.etag;
    if (clean.identity !== undefined) {
        delete clean.identity.principalId;
        delete clean.identity.tenantId;
        for (const id of Object.keys(clean.identity.userAssignedIdentities ?? {})) {
            const uai = clean.identity.userAssignedIdentities;
            if (uai !== undefined && uai[id] !== null)
                uai[id] = {};
        }
    }
    for (const ext of scaleSetExtensions(clean))
        delete ext.properties?.provisioningState;
    return clean;
}
function writeScaleSet(ctx, azure, sim, method) {
    sim.scheduler.flush();
    const missing = missingApiVersion(ctx);
    if (missing !== undefined)
        return missing;
    const { sub = '', rg = '', name = '' } = ctx.params;
    if (azure.getResourceGroup(rg, sub) === undefined)
        return resourceGroupNotFound(rg);
    if (typeof ctx.body !== 'object' || ctx.body === null || Array.isArray(ctx.body))
        return invalidBody();
    const existing = sim.scaleSet(sub, rg, name);
    if (method === 'PATCH' && existing === undefined)
        return resourceNotFound(TYPE, name, rg);
    const input = sanitizeInput(ctx.body);
    const next = method === 'PATCH' && existing !== undefined ? mergePatch(existing.resource, input) : input;
    if (existing !== undefined && method === 'PUT') {
        // A PUT replaces the model; the location cannot move.
        next.location = existing.resource.location ?? next.location;
    }
    if (next.location === undefined || next.location === '') {
        return armError(400, 'LocationRequired', 'The location property is required for this definition.');
    }
    next.name = name;
    next.type = TYPE;
    // identity type None removes every identity [CMP-DESC].
    if (next.identity?.type === 'None')
        delete next.identity.userAssignedIdentities;
    const problem = checkModel(next, sim);
    if (problem !== undefined)
        return problem;
    const now = sim.now();
    if (existing === undefined) {
        next.properties ??= {};
        next.properties.uniqueId = globalThis.crypto.randomUUID();
        next.properties.timeCreated = now.toISOString();
        const created = sim.createScaleSet(sub, rg, name, next);
        const op = created.lastOperation;
        if (op === undefined)
            return json(201, scaleSetBody(created));
        return longRunning(ctx, azure, created, op, 201, scaleSetBody(created, 'Creating'));
    }
    next.properties ??= {};
    next.properties.uniqueId = existing.resource.properties?.uniqueId;
    next.properties.timeCreated = existing.resource.properties?.timeCreated;
    const op = existing.write(next, now);
    return longRunning(ctx, azure, existing, op, 200, scaleSetBody(existing, op.status === 'InProgress' ? 'Updating' : undefined));
}
/** Synchronous 400s a scale-set write gets before any operation starts. */
function checkModel(resource, sim) {
    const mode = resource.properties?.upgradePolicy?.mode ?? 'Manual';
    if (scaleSetExtensions(resource).some(isServiceFabricExtension) && mode !== 'Automatic') {
        // [VMSS-UP]: "A scale set that is part of a Service Fabric cluster can only use Automatic." (code is ours)
        return armError(400, 'InvalidParameter', `A scale set that is part of a Service Fabric cluster can only use the Automatic upgrade policy (got '${mode}').`);
    }
    for (const group of scaleSetSecrets(resource)) {
        for (const vc of group.vaultCertificates ?? []) {
            const parsed = parseSecretUrl(vc.certificateUrl ?? '');
            if (parsed?.version === undefined) {
                // [VMSS-FAQ]: versioned URLs only; a /certificates/ URL lacks the private key.
                return armError(400, 'InvalidParameter', `The value '${vc.certificateUrl ?? ''}' of parameter 'certificateUrl' is invalid: a versioned Key Vault secret URL (https://<vault>.vault.azure.net/secrets/<name>/<version>) is required.`);
            }
        }
    }
    for (const id of userAssignedIdentityIds(resource.identity)) {
        if (sim.vault.identity(id) === undefined) {
            return armError(400, 'FailedIdentityOperation', `Identity '${id}' was not found.`);
        }
    }
    return undefined;
}
/** The scale set as GET returns it (REST shape, properties nested). */
export function scaleSetBody(s, provisioningState) {
    const body = structuredClone(s.resource);
    body.id = s.id;
    body.name = s.name;
    body.type = TYPE;
    body.properties ??= {};
    body.properties.provisioningState = provisioningState ?? s.provisioningState();
    if (body.sku !== undefined)
        body.sku.capacity = s.instances.length;
    const uai = body.identity?.userAssignedIdentities;
    if (uai !== undefined) {
        for (const id of Object.keys(uai)) {
            const info = s.identityInfo(id);
            uai[id] = info === undefined ? {} : { principalId: info.principalId, clientId: info.clientId };
        }
    }
    for (const ext of scaleSetExtensions(body)) {
        if (ext.properties === undefined)
            continue;
        // protectedSettings are write-only [CMP-DESC]; the state aggregates the instances' extensions.
        delete ext.properties.protectedSettings;
        const running = s.instances.map((n) => n.extensions.get(ext.name ?? ''));
        ext.properties.provisioningState = running.some((e) => e?.state === 'failed')
            ? 'Failed'
            : running.some((e) => e === undefined || e.state === 'transitioning')
                ? 'Updating'
                : 'Succeeded';
    }
    return body;
}
function vmId(s, node) {
    return `${s.id}/virtualMachines/${node.id}`;
}
function vmBody(s, node, expandInstanceView) {
    const model = s.resource.properties?.virtualMachineProfile;
    return compact({
        id: vmId(s, node),
        name: node.name,
        type: `${TYPE}/virtualMachines`,
        location: s.resource.location,
        instanceId: node.id,
        sku: s.resource.sku !== undefined ? { name: s.resource.sku.name, tier: s.resource.sku.tier } : undefined,
        properties: compact({
            latestModelApplied: s.latestModelApplied(node),
            vmId: node.name,
            provisioningState: node.provisioningError !== undefined ? 'Failed' : 'Succeeded',
            osProfile: compact({
                computerName: `${model?.osProfile?.computerNamePrefix ?? s.name}${node.id.padStart(6, '0')}`,
                secrets: model?.osProfile?.secrets,
            }),
            instanceView: expandInstanceView ? vmInstanceView(s, node) : undefined,
        }),
        resources: scaleSetExtensions(s.resource).map((ext) => vmExtensionBody(s, node, ext.name ?? '', false)),
    });
}
function vmInstanceView(s, node) {
    const model = s.resource.properties?.virtualMachineProfile;
    return {
        platformUpdateDomain: node.upgradeDomain,
        platformFaultDomain: node.faultDomain,
        computerName: `${model?.osProfile?.computerNamePrefix ?? s.name}${node.id.padStart(6, '0')}`,
        vmAgent: {
            vmAgentVersion: '2.7.41491.1102',
            statuses: [
                {
                    code: 'ProvisioningState/succeeded',
                    level: 'Info',
                    displayStatus: 'Ready',
                    message: 'GuestAgent is running and processing the extensions.',
                },
            ],
        },
        extensions: [...node.extensions.values()].map((ext) => ({
            name: ext.spec.name,
            type: `${ext.spec.publisher}.${ext.spec.type}`,
            typeHandlerVersion: ext.spec.typeHandlerVersion,
            statuses: [extensionStatus(ext)],
        })),
        statuses: [
            node.provisioningError !== undefined
                ? {
                    code: `ProvisioningState/failed/${node.provisioningError.code}`,
                    level: 'Error',
                    displayStatus: 'Provisioning failed',
                    message: node.provisioningError.message,
                }
                : {
                    code: 'ProvisioningState/succeeded',
                    level: 'Info',
                    displayStatus: 'Provisioning succeeded',
                    time: node.createdAt.toISOString(),
                },
            { code: 'PowerState/running', level: 'Info', displayStatus: 'VM running' },
        ],
    };
}
function vmExtensionBody(s, node, name, expandInstanceView) {
    const model = scaleSetExtensions(s.resource).find((e) => (e.name ?? '').toLowerCase() === name.toLowerCase());
    const running = [...node.extensions.values()].find((e) => e.spec.name.toLowerCase() === name.toLowerCase());
    const props = model?.properties ?? {};
    return {
        id: `${vmId(s, node)}/extensions/${model?.name ?? name}`,
        name: model?.name ?? name,
        type: `${TYPE}/virtualMachines/extensions`,
        properties: compact({
            publisher: props.publisher,
            type: props.type,
            typeHandlerVersion: props.typeHandlerVersion,
            autoUpgradeMinorVersion: props.autoUpgradeMinorVersion,
            enableAutomaticUpgrade: props.enableAutomaticUpgrade,
            settings: props.settings,
            provisionAfterExtensions: props.provisionAfterExtensions,
            provisioningState: extensionProvisioningState(running),
            instanceView: expandInstanceView && running !== undefined
                ? {
                    name: running.spec.name,
                    type: `${running.spec.publisher}.${running.spec.type}`,
                    typeHandlerVersion: running.spec.typeHandlerVersion,
                    statuses: [extensionStatus(running)],
                }
                : undefined,
        }),
    };
}
function scaleSetInstanceView(s) {
    const count = (codes) => {
        const counts = new Map();
        for (const code of codes)
            counts.set(code, (counts.get(code) ?? 0) + 1);
        return [...counts.entries()].map(([code, n]) => ({ code, count: n }));
    };
    const extensionNames = scaleSetExtensions(s.resource).map((e) => e.name ?? '');
    return {
        virtualMachine: {
            statusesSummary: count(s.instances.map((n) => n.provisioningError ? 'ProvisioningState/failed' : 'ProvisioningState/succeeded')),
        },
        extensions: extensionNames.map((name) => ({
            name,
            statusesSummary: count(s.instances.map((n) => {
                const ext = n.extensions.get(name);
                return ext === undefined ? 'ProvisioningState/creating' : String(extensionStatus(ext)['code']);
            })),
        })),
        statuses: [
            {
                code: `ProvisioningState/${s.provisioningState().toLowerCase()}`,
                level: s.provisioningState() === 'Failed' ? 'Error' : 'Info',
                displayStatus: s.provisioningState(),
            },
        ],
    };
}
//# sourceMappingURL=compute.js.map