// The snapshot directory of design §2 for a Batch pool rotation: `pool.json` (absent when the pool does
// not exist), optional `pool.nodes.json`, `vault/<certificate>/…`, `vault/access.json` and `identity.json`,
// each the JSON body Azure returned. With certificates from several vaults, each vault's access body goes
// to `vault/access/<vault>.json` instead. Public material only.
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseKeyVaultId } from '../../domain/observed/index.js';
import { readVaultSnapshot, writeVaultSnapshot } from '../snapshot.js';
function json(value) {
    return `${JSON.stringify(value, null, 2)}\n`;
}
async function readOptionalJson(path) {
    if (!existsSync(path))
        return undefined;
    try {
        return JSON.parse(await readFile(path, 'utf8'));
    }
    catch (err) {
        throw new Error(`snapshot file ${path} is not JSON: ${err instanceof Error ? err.message : String(err)}`, {
            cause: err,
        });
    }
}
function vaultsOf(spec) {
    const names = spec.certificates.flatMap((c) => {
        const id = parseKeyVaultId(c.secretId);
        return id === undefined ? [] : [id.vaultName];
    });
    return [...new Set(names)];
}
function accessPaths(dir, vault, single) {
    return single
        ? { vault: join(dir, 'vault', 'access.json'), roles: join(dir, 'vault', 'roleAssignments.json') }
        : {
            vault: join(dir, 'vault', 'access', `${vault}.json`),
            roles: join(dir, 'vault', 'access', `${vault}.roleAssignments.json`),
        };
}
export async function writeBatchPoolSnapshot(dir, bodies) {
    await mkdir(join(dir, 'vault'), { recursive: true });
    if (bodies.pool !== undefined)
        await writeFile(join(dir, 'pool.json'), json(bodies.pool));
    if (bodies.nodes !== undefined)
        await writeFile(join(dir, 'pool.nodes.json'), json(bodies.nodes));
    if (bodies.vault !== undefined) {
        await writeVaultSnapshot(dir, bodies.vault.certificateName, bodies.vault.versions, bodies.vault.byVersion);
    }
    const access = Object.entries(bodies.access ?? {});
    if (access.length > 1)
        await mkdir(join(dir, 'vault', 'access'), { recursive: true });
    for (const [vault, body] of access) {
        const paths = accessPaths(dir, vault, access.length === 1);
        await writeFile(paths.vault, json(body.vault));
        if (body.roleAssignments !== undefined)
            await writeFile(paths.roles, json(body.roleAssignments));
    }
    if (bodies.identity !== undefined)
        await writeFile(join(dir, 'identity.json'), json(bodies.identity));
}
export async function readBatchPoolSnapshot(dir, spec) {
    if (!existsSync(dir))
        throw new Error(`snapshot directory ${dir} does not exist`);
    const vaults = vaultsOf(spec);
    const access = {};
    for (const vault of vaults) {
        const paths = accessPaths(dir, vault, vaults.length === 1);
        const body = await readOptionalJson(paths.vault);
        if (body === undefined)
            continue;
        const roles = await readOptionalJson(paths.roles);
        access[vault] = { vault: body, ...(roles === undefined ? {} : { roleAssignments: roles }) };
    }
    const certificate = spec.certificate;
    const vault = certificate === undefined || !existsSync(join(dir, 'vault', certificate.name))
        ? undefined
        : { certificateName: certificate.name, ...(await readVaultSnapshot(dir, certificate.name)) };
    const nodes = await readOptionalJson(join(dir, 'pool.nodes.json'));
    const identity = await readOptionalJson(join(dir, 'identity.json'));
    return {
        pool: await readOptionalJson(join(dir, 'pool.json')),
        ...(nodes === undefined ? {} : { nodes }),
        ...(vault === undefined ? {} : { vault }),
        access,
        ...(identity === undefined ? {} : { identity }),
    };
}
//# sourceMappingURL=snapshot.js.map