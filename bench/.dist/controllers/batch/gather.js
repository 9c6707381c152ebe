import { getIdentity, getVault, listVaultRoleAssignments } from '../../azure/arm.js';
import { getBatchAccount, getPool, listPoolNodes } from '../../azure/batch.js';
import { TerminalError } from '../../domain/errors.js';
import { Reason } from '../../domain/names.js';
import { field, str } from '../../domain/observed/json.js';
import { parseKeyVaultId } from '../../domain/observed/index.js';
import { versionsToRead } from '../service-fabric/gather.js';
/** `undefined` for a resource that does not exist (404); every other failure propagates. */
async function unlessNotFound(read) {
    try {
        return await read;
    }
    catch (err) {
        if (err instanceof TerminalError && err.reason === Reason.ResourceNotFound)
            return undefined;
        throw err;
    }
}
/** Distinct lowercased vault names of `spec.certificates[].secretId`. */
function vaultsOf(spec) {
    const names = spec.certificates.flatMap((c) => {
        const id = parseKeyVaultId(c.secretId);
        return id === undefined ? [] : [id.vaultName];
    });
    return [...new Set(names)];
}
async function vaultAccess(clients, spec, principalId) {
    const entries = await Promise.all(vaultsOf(spec).map(async (name) => {
        // Assumption (as for Service Fabric): the vaults live in the rotation's resource group. A vault
        // elsewhere is not observed, and the identity's access to it is not judged.
        const vault = await unlessNotFound(getVault(clients, spec.azure.resourceGroup, name));
        if (vault === undefined)
            return undefined;
        const rbac = field(vault.body, 'properties', 'enableRbacAuthorization') === true;
        const vaultId = str(field(vault.body, 'id'));
        const roleAssignments = rbac && principalId !== undefined && vaultId !== undefined
            ? await listVaultRoleAssignments(clients, vaultId, principalId)
            : undefined;
        return [
            name,
            {
                vault: vault.body,
                ...(roleAssignments === undefined ? {} : { roleAssignments: roleAssignments.body }),
            },
        ];
    }));
    return Object.fromEntries(entries.filter((e) => e !== undefined));
}
async function vaultCertificate(vault, spec) {
    const certificate = spec.certificate;
    if (certificate === undefined)
        return undefined;
    // Key Vault answers 404 for the versions of a certificate that does not exist. With a declared policy
    // that is a certificate to enroll (EnsureVaultCertificate creates it); without one it stays an error.
    const versions = await vault.versions(certificate.vault, certificate.name).catch((err) => {
        if (certificate.policy !== undefined &&
            err instanceof TerminalError &&
            err.reason === Reason.ResourceNotFound)
            return { value: [] };
        throw err;
    });
    // No cluster and no scale sets: the newest versions are the ones worth reading in full.
    const wanted = versionsToRead(versions, undefined, [], certificate.name);
    const byVersion = Object.fromEntries(await Promise.all(wanted.map(async (v) => [v, await vault.versionBodies(certificate.vault, certificate.name, v)])));
    return { certificateName: certificate.name, versions, byVersion };
}
export async function gatherBatchPool(clients, vault, spec, options = {}) {
    const rg = spec.azure.resourceGroup;
    // The account must exist (404 → terminal: the resource stalls); the pool may not (it is created).
    const [account, pool, identity, certificate] = await Promise.all([
        getBatchAccount(clients, rg, spec.batchAccount),
        unlessNotFound(getPool(clients, rg, spec.batchAccount, spec.pool.name)),
        getIdentity(clients, spec.identity.resourceId),
        vaultCertificate(vault, spec),
    ]);
    const endpoint = str(field(account.body, 'properties', 'accountEndpoint'));
    const withNodes = (options.nodes ?? true) && pool !== undefined && endpoint !== undefined;
    const [nodes, access] = await Promise.all([
        withNodes ? unlessNotFound(listPoolNodes(clients, endpoint, spec.pool.name)) : undefined,
        vaultAccess(clients, spec, str(field(identity.body, 'properties', 'principalId'))),
    ]);
    return {
        pool: pool?.body,
        ...(nodes === undefined ? {} : { nodes: nodes.body }),
        ...(certificate === undefined ? {} : { vault: certificate }),
        access,
        identity: identity.body,
    };
}
//# sourceMappingURL=gather.js.map