// The snapshot directory of design §2: every file is the JSON body Azure's REST API returned, unmodified,
// so a plan computed offline from it equals the plan computed live. Public material only: certificate
// bundles and issuer chains, never a secret value or a private key.
import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
const VERSION_FILE = /^([0-9A-Za-z-]+)\.json$/;
function json(value) {
    return `${JSON.stringify(value, null, 2)}\n`;
}
async function readJson(path) {
    try {
        return JSON.parse(await readFile(path, 'utf8'));
    }
    catch (err) {
        throw new Error(`snapshot file ${path} is missing or not JSON: ${err instanceof Error ? err.message : String(err)}`, {
            cause: err,
        });
    }
}
async function readOptionalJson(path) {
    return existsSync(path) ? readJson(path) : undefined;
}
/** Writes `vault/<certificate>/…` (versions list, per-version bundle and chain). */
export async function writeVaultSnapshot(dir, certificateName, versions, byVersion) {
    const vaultDir = join(dir, 'vault', certificateName);
    await mkdir(vaultDir, { recursive: true });
    await writeFile(join(vaultDir, 'versions.json'), json(versions));
    for (const [version, bodies] of Object.entries(byVersion)) {
        if (bodies.bundle !== undefined)
            await writeFile(join(vaultDir, `${version}.json`), json(bodies.bundle));
        if (bodies.chainPem !== undefined)
            await writeFile(join(vaultDir, `${version}.chain.pem`), bodies.chainPem);
    }
}
export async function readVaultSnapshot(dir, certificateName) {
    const vaultDir = join(dir, 'vault', certificateName);
    const versions = await readJson(join(vaultDir, 'versions.json'));
    const byVersion = {};
    for (const file of await readdir(vaultDir)) {
        const version = VERSION_FILE.exec(file)?.[1];
        if (version === undefined || version === 'versions')
            continue;
        const chainPath = join(vaultDir, `${version}.chain.pem`);
        byVersion[version] = {
            bundle: await readJson(join(vaultDir, file)),
            ...(existsSync(chainPath) ? { chainPem: await readFile(chainPath, 'utf8') } : {}),
        };
    }
    return { versions, byVersion };
}
/** Writes a Service Fabric rotation's bodies in the snapshot layout. */
export async function writeServiceFabricSnapshot(dir, bodies) {
    await mkdir(join(dir, 'vmss'), { recursive: true });
    await writeFile(join(dir, 'cluster.json'), json(bodies.cluster));
    for (const [name, scaleSet] of Object.entries(bodies.scaleSets)) {
        await writeFile(join(dir, 'vmss', `${name}.json`), json(scaleSet.body));
        if (scaleSet.instances !== undefined)
            await writeFile(join(dir, 'vmss', `${name}.instances.json`), json(scaleSet.instances));
    }
    await writeVaultSnapshot(dir, bodies.vault.certificateName, bodies.vault.versions, bodies.vault.byVersion);
    if (bodies.access !== undefined)
        await writeFile(join(dir, 'vault', 'access.json'), json(bodies.access));
    if (bodies.roleAssignments !== undefined)
        await writeFile(join(dir, 'vault', 'roleAssignments.json'), json(bodies.roleAssignments));
    if (bodies.identity !== undefined)
        await writeFile(join(dir, 'identity.json'), json(bodies.identity));
}
/** Reads a Service Fabric snapshot for the scale sets and certificate the spec names. */
export async function readServiceFabricSnapshot(dir, spec) {
    if (!existsSync(dir))
        throw new Error(`snapshot directory ${dir} does not exist`);
    const scaleSets = {};
    for (const { vmssName } of spec.cluster.nodeTypes) {
        const instances = await readOptionalJson(join(dir, 'vmss', `${vmssName}.instances.json`));
        scaleSets[vmssName] = {
            body: await readJson(join(dir, 'vmss', `${vmssName}.json`)),
            ...(instances === undefined ? {} : { instances }),
        };
    }
    const vault = await readVaultSnapshot(dir, spec.certificate.name);
    const access = await readOptionalJson(join(dir, 'vault', 'access.json'));
    const roleAssignments = await readOptionalJson(join(dir, 'vault', 'roleAssignments.json'));
    const identity = await readOptionalJson(join(dir, 'identity.json'));
    return {
        cluster: await readJson(join(dir, 'cluster.json')),
        scaleSets,
        vault: { certificateName: spec.certificate.name, ...vault },
        ...(access === undefined ? {} : { access }),
        ...(roleAssignments === undefined ? {} : { roleAssignments }),
        ...(identity === undefined ? {} : { identity }),
    };
}
//# sourceMappingURL=snapshot.js.map