// `kv-rollover snapshot -f ROTATION.yaml -o DIR`: writes the observed Azure state a plan needs, as the
// REST bodies Azure returned (design §2 layout). Public material only: no secret value, no private key.
import { parseArgs } from 'node:util';
import { KIND_SERVICE_FABRIC } from '../../domain/names.js';
import { gatherServiceFabric } from '../../controllers/service-fabric/gather.js';
import { writeServiceFabricSnapshot } from '../../controllers/snapshot.js';
import { directVaultSource } from '../../controllers/vault-source.js';
import { gatherBatchPool } from '../../controllers/batch/gather.js';
import { writeBatchPoolSnapshot } from '../../controllers/batch/snapshot.js';
import { azureClientsFromEnvironment } from '../azure-env.js';
import { readRotationFile } from '../rotation-file.js';
import { UsageError } from '../usage-error.js';
const HELP = `Usage: kv-rollover snapshot -f ROTATION.yaml -o DIR

Reads from Azure (read-only) everything the plan of ROTATION.yaml needs and writes it to DIR, one file per
REST body, for \`kv-rollover plan --from-snapshot DIR\`.`;
export const snapshotCommand = async (argv) => {
    const { values } = parseArgs({
        args: argv,
        options: {
            file: { type: 'string', short: 'f' },
            output: { type: 'string', short: 'o' },
            help: { type: 'boolean', short: 'h' },
        },
        strict: true,
    });
    if (values.help === true) {
        console.log(HELP);
        return 0;
    }
    if (values.output === undefined)
        throw new UsageError('missing -o DIR: where to write the snapshot');
    const rotation = await readRotationFile(values.file);
    if (rotation.kind !== KIND_SERVICE_FABRIC) {
        const { spec } = rotation.resource;
        const clients = azureClientsFromEnvironment(spec.azure.subscriptionId);
        await writeBatchPoolSnapshot(values.output, await gatherBatchPool(clients, directVaultSource(clients), spec));
        console.error(`Wrote the snapshot of ${rotation.resource.metadata.name} to ${values.output}.`);
        return 0;
    }
    const { spec } = rotation.resource;
    const clients = azureClientsFromEnvironment(spec.azure.subscriptionId);
    const bodies = await gatherServiceFabric(clients, directVaultSource(clients), spec);
    await writeServiceFabricSnapshot(values.output, bodies);
    console.error(`Wrote the snapshot of ${rotation.resource.metadata.name} to ${values.output}.`);
    return 0;
};
//# sourceMappingURL=snapshot.js.map