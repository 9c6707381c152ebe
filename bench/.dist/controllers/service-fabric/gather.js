import { getCluster, getIdentity, getScaleSet, getVault, listScaleSetInstances, listVaultRoleAssignments, parseArmResourceId, } from '../../azure/arm.js';
import { classifyAzureError } from '../../azure/errors.js';
import { getCertificate, listCertificateVersions, parseRaw } from '../../azure/keyvault.js';
import { captureResponses } from '../../azure/pipeline.js';
import { TerminalError } from '../../domain/errors.js';
import { Reason } from '../../domain/names.js';
import { thumbprintFromX5t } from '../../domain/x509.js';
import { arr, field, str } from '../../domain/observed/json.js';
import { parseKeyVaultId, vaultNameOf, } from '../../domain/observed/index.js';
/** How many of the newest versions are read in full (bundle + chain) besides those in use. */
const NEWEST_VERSIONS_READ = 3;
function versionOfEntry(entry) {
    const id = str(field(entry, 'id'));
    return id === undefined ? undefined : parseKeyVaultId(id)?.version;
}
function createdOf(entry) {
    const created = field(entry, 'attributes', 'created');
    return typeof created === 'number' ? created : 0;
}
function thumbprintOfEntry(entry) {
    const x5t = str(field(entry, 'x5t'));
    if (x5t === undefined)
        return undefined;
    try {
        return thumbprintFromX5t(x5t);
    }
    catch {
        return undefined;
    }
}
/** Thumbprints the cluster declares (primary and secondary), uppercase. */
function clusterThumbprints(cluster) {
    const cert = field(cluster, 'properties', 'certificate');
    return [str(field(cert, 'thumbprint')), str(field(cert, 'thumbprintSecondary'))]
        .filter((t) => t !== undefined)
        .map((t) => t.replace(/\s/g, '').toUpperCase());
}
/** Versions of `certificate` the scale sets reference through versioned secret URLs. */
function referencedVersions(scaleSets, certificate) {
    return scaleSets.flatMap((vmss) => arr(field(vmss, 'properties', 'virtualMachineProfile', 'osProfile', 'secrets')).flatMap((group) => arr(field(group, 'vaultCertificates')).flatMap((vc) => {
        const url = str(field(vc, 'certificateUrl'));
        const parsed = url === undefined ? undefined : parseKeyVaultId(url);
        return parsed?.version !== undefined && parsed.name.toLowerCase() === certificate.toLowerCase()
            ? [parsed.version]
            : [];
    })));
}
/** The versions worth reading in full: the newest few, and every one the cluster or a scale set uses. */
export function versionsToRead(versionsBody, cluster, scaleSets, certificate) {
    const entries = arr(field(versionsBody, 'value'));
    const newest = [...entries].sort((a, b) => createdOf(b) - createdOf(a)).slice(0, NEWEST_VERSIONS_READ);
    const declared = new Set(clusterThumbprints(cluster));
    const inUse = entries.filter((e) => {
        const tp = thumbprintOfEntry(e);
        return tp !== undefined && declared.has(tp);
    });
    const wanted = [...newest, ...inUse].map(versionOfEntry).filter((v) => v !== undefined);
    return [...new Set([...wanted, ...referencedVersions(scaleSets, certificate)])];
}
/** The vault's ARM id: from a scale set's `sourceVault` when one names it, else in the cluster's group. */
export function vaultResourceId(spec, scaleSets) {
    const name = vaultNameOf(spec.certificate.vault);
    for (const vmss of scaleSets) {
        for (const group of arr(field(vmss, 'properties', 'virtualMachineProfile', 'osProfile', 'secrets'))) {
            const id = str(field(group, 'sourceVault', 'id'));
            if (id !== undefined && parseArmResourceId(id)?.name.toLowerCase() === name)
                return id;
        }
    }
    return `/subscriptions/${spec.azure.subscriptionId}/resourceGroups/${spec.azure.resourceGroup}/providers/Microsoft.KeyVault/vaults/${name}`;
}
export async function readVaultOperation(clients, vault, certificate) {
    const operation = 'getCertificateOperation';
    const context = {
        service: 'keyvault',
        operation,
        resource: `the pending operation of certificate "${certificate}" in vault "${vault}"`,
        permission: 'certificate permission get',
    };
    // The SDK's public `getCertificateOperation` starts with "get certificate", a 404 for a certificate
    // that has no version yet (a first create, pending or failed), and never reads the pending object.
    // The client's generated operation (same pipeline: auth, capture, metrics) reads it alone; the
    // response is taken from the pipeline capture. Pinned SDK (@azure/keyvault-certificates 4.x).
    const sdk = clients.certificates(vault);
    const generated = sdk.client;
    let thrown;
    const { responses } = await captureResponses(operation, async () => {
        try {
            if (typeof generated?.getCertificateOperation === 'function')
                await generated.getCertificateOperation(certificate);
            else
                await sdk.getCertificateOperation(certificate);
        }
        catch (err) {
            thrown = err;
        }
    });
    const answer = responses.find((r) => r.method === 'GET' && /\/pending(\?|$)/i.test(r.url));
    if (answer !== undefined && answer.status >= 200 && answer.status < 300) {
        const body = parseRaw(answer, operation).body;
        return {
            status: str(field(body, 'status')),
            message: str(field(body, 'error', 'message')) ?? str(field(body, 'status_details')),
            code: str(field(body, 'error', 'code')),
        };
    }
    if (answer?.status === 404)
        return undefined;
    if (thrown !== undefined) {
        const classified = classifyAzureError(thrown, context);
        if (classified.reason === Reason.ResourceNotFound)
            return undefined;
        throw classified;
    }
    return undefined;
}
export function operationInProgress(op) {
    const status = op?.status?.toLowerCase();
    return status === 'inprogress';
}
const EMPTY_VERSIONS = { value: [] };
/** The versions list read directly; an absent certificate (404) is an empty list. */
async function versionsOrEmpty(clients, vault, certificate) {
    try {
        return (await listCertificateVersions(clients, vault, certificate)).body;
    }
    catch (err) {
        if (err instanceof TerminalError && err.reason === Reason.ResourceNotFound)
            return EMPTY_VERSIONS;
        throw err;
    }
}
/**
 * Version bodies are cached per process (a version never changes [KV-OBJ]) but the policy they carry
 * does: the latest bundle is re-read so drift is judged against the vault's policy of now.
 */
async function refreshPolicy(clients, spec, byVersion) {
    const latest = await getCertificate(clients, spec.certificate.vault, spec.certificate.name);
    const id = str(field(latest.body, 'id'));
    const version = id === undefined ? undefined : parseKeyVaultId(id)?.version;
    const key = Object.keys(byVersion).find((k) => k.toLowerCase() === version?.toLowerCase());
    if (version === undefined)
        return;
    const current = key === undefined ? undefined : byVersion[key];
    byVersion[key ?? version] = { ...current, bundle: latest.body };
}
export async function gatherServiceFabric(clients, vault, spec, options = {}) {
    const rg = spec.azure.resourceGroup;
    const withInstances = options.instances ?? true;
    const enrolling = spec.certificate.policy !== undefined;
    const [cluster, scaleSetEntries, listedVersions, identity] = await Promise.all([
        getCluster(clients, rg, spec.cluster.name),
        Promise.all(spec.cluster.nodeTypes.map(async (nt) => {
            const [body, instances] = await Promise.all([
                getScaleSet(clients, rg, nt.vmssName),
                withInstances ? listScaleSetInstances(clients, rg, nt.vmssName) : Promise.resolve(undefined),
            ]);
            return [
                nt.vmssName,
                { body: body.body, ...(instances === undefined ? {} : { instances: instances.body }) },
            ];
        })),
        vault.versions(spec.certificate.vault, spec.certificate.name).catch((err) => {
            // With a declared policy an absent certificate is expected: EnsureVaultCertificate creates it.
            if (enrolling && err instanceof TerminalError && err.reason === Reason.ResourceNotFound)
                return EMPTY_VERSIONS;
            throw err;
        }),
        getIdentity(clients, spec.identity.resourceId),
    ]);
    const { vault: vaultRef, name: certificateName } = spec.certificate;
    let versions = listedVersions;
    // A cached list may predate a create that just completed: never plan a second create from it.
    if (enrolling && arr(field(versions, 'value')).length === 0) {
        versions = await versionsOrEmpty(clients, vaultRef, certificateName);
    }
    const absent = arr(field(versions, 'value')).length === 0;
    // The pending operation is read when the certificate is absent or enrolled by this resource; a create
    // that completed but whose version is not listed yet still counts as pending [KV-CREATE].
    const operation = enrolling || absent ? await readVaultOperation(clients, vaultRef, certificateName) : undefined;
    const pendingOperation = operationInProgress(operation) || (absent && operation?.status?.toLowerCase() === 'completed');
    const scaleSetBodies = scaleSetEntries.map(([, s]) => s.body);
    const wanted = versionsToRead(versions, cluster.body, scaleSetBodies, certificateName);
    const byVersion = Object.fromEntries(await Promise.all(wanted.map(async (v) => [v, await vault.versionBodies(vaultRef, certificateName, v)])));
    if (enrolling && !absent)
        await refreshPolicy(clients, spec, byVersion);
    const vaultId = vaultResourceId(spec, scaleSetBodies);
    const parsedVaultId = parseArmResourceId(vaultId);
    const access = parsedVaultId === undefined
        ? undefined
        : await getVault(clients, parsedVaultId.resourceGroup, parsedVaultId.name);
    const principalId = str(field(identity.body, 'properties', 'principalId'));
    const rbac = field(access?.body, 'properties', 'enableRbacAuthorization') === true;
    const roleAssignments = rbac && principalId !== undefined
        ? await listVaultRoleAssignments(clients, vaultId, principalId)
        : undefined;
    return {
        cluster: cluster.body,
        scaleSets: Object.fromEntries(scaleSetEntries),
        vault: { certificateName, versions, byVersion, ...(pendingOperation ? { pendingOperation } : {}) },
        ...(access === undefined ? {} : { access: access.body }),
        ...(roleAssignments === undefined ? {} : { roleAssignments: roleAssignments.body }),
        identity: identity.body,
    };
}
//# sourceMappingURL=gather.js.map