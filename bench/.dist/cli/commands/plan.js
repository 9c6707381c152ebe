// `kv-rollover plan -f ROTATION.yaml [--from-snapshot DIR] [-o json|text]`: the ordered plan for one
// resource, computed live (read-only against Azure) or offline from a snapshot directory. Exit status 0
// when a plan was computed (blocked or not), 2 for unusable input (design §2).
import { parseArgs } from 'node:util';
import { observeServiceFabric } from '../../domain/observed/index.js';
import { planServiceFabric, renderPlanText } from '../../domain/plan/index.js';
import { KIND_SERVICE_FABRIC, Annotation } from '../../domain/names.js';
import { gatherServiceFabric } from '../../controllers/service-fabric/gather.js';
import { readServiceFabricSnapshot } from '../../controllers/snapshot.js';
import { directVaultSource } from '../../controllers/vault-source.js';
import { gatherBatchPool } from '../../controllers/batch/gather.js';
import { readBatchPoolSnapshot } from '../../controllers/batch/snapshot.js';
import { observeBatchPool, planBatchPool, renderBatchPlanText } from '../../domain/batch/index.js';
import { azureClientsFromEnvironment } from '../azure-env.js';
import { readRotationFile } from '../rotation-file.js';
import { UsageError } from '../usage-error.js';
const HELP = `Usage: kv-rollover plan -f ROTATION.yaml [--from-snapshot DIR] [-o json|text]

Prints the ordered plan for one rotation resource. Without --from-snapshot it reads Azure (read-only),
with the credentials of the AZURE_* environment variables.`;
export const planCommand = async (argv) => {
    const { values } = parseArgs({
        args: argv,
        options: {
            file: { type: 'string', short: 'f' },
            'from-snapshot': { type: 'string' },
            output: { type: 'string', short: 'o', default: 'text' },
            help: { type: 'boolean', short: 'h' },
        },
        strict: true,
    });
    if (values.help === true) {
        console.log(HELP);
        return 0;
    }
    if (values.output !== 'json' && values.output !== 'text')
        throw new UsageError(`-o must be json or text, not ${values.output}`);
    const rotation = await readRotationFile(values.file);
    if (rotation.kind !== KIND_SERVICE_FABRIC) {
        const { spec, metadata } = rotation.resource;
        const snapshotDir = values['from-snapshot'];
        let poolBodies;
        if (snapshotDir === undefined) {
            const clients = azureClientsFromEnvironment(spec.azure.subscriptionId);
            poolBodies = await gatherBatchPool(clients, directVaultSource(clients), spec);
        }
        else {
            try {
                poolBodies = await readBatchPoolSnapshot(snapshotDir, spec);
            }
            catch (err) {
                throw new UsageError(err instanceof Error ? err.message : String(err));
            }
        }
        const approved = metadata.annotations?.[Annotation.ApproveStep];
        const poolPlan = planBatchPool(spec, observeBatchPool(spec.pool.name, poolBodies), new Date(), {
            resourceName: metadata.name,
            ...(approved === undefined ? {} : { approvedStep: approved }),
        });
        console.log(values.output === 'json' ? JSON.stringify(poolPlan, null, 2) : renderBatchPlanText(poolPlan));
        return 0;
    }
    const { spec, metadata } = rotation.resource;
    const snapshot = values['from-snapshot'];
    let bodies;
    if (snapshot === undefined) {
        const clients = azureClientsFromEnvironment(spec.azure.subscriptionId);
        bodies = await gatherServiceFabric(clients, directVaultSource(clients), spec);
    }
    else {
        try {
            bodies = await readServiceFabricSnapshot(snapshot, spec);
        }
        catch (err) {
            throw new UsageError(err instanceof Error ? err.message : String(err));
        }
    }
    const approvedStep = metadata.annotations?.[Annotation.ApproveStep];
    const plan = planServiceFabric(spec, observeServiceFabric(bodies), new Date(), {
        resourceName: metadata.name,
        ...(approvedStep === undefined ? {} : { approvedStep }),
    });
    console.log(values.output === 'json' ? JSON.stringify(plan, null, 2) : renderPlanText(plan));
    return 0;
};
//# sourceMappingURL=plan.js.map