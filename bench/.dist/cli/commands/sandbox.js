// `kv-rollover sandbox [--scenario NAME] [--kubeconfig-out FILE] [--env-out FILE]`: runs the sandbox
// alone until interrupted, and says how to point kubectl, the operator or any Azure SDK client at it.
import { copyFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { scenarioNames, startSandbox } from '../../sandbox/index.js';
import { UsageError } from '../usage-error.js';
const HELP = `Usage: kv-rollover sandbox [--scenario NAME] [--kubeconfig-out FILE] [--env-out FILE]
                           [--state-dir DIR] [--clock-speed N] [--no-throttling]

Runs the Kubernetes API emulator and the Azure emulator (Key Vault, ARM, a simulated world of nodes)
on loopback until interrupted (Ctrl-C).

  --scenario NAME        seeded world: ${'${SCENARIOS}'} (default servicefabric)
  --kubeconfig-out FILE  also write the kubeconfig to FILE
  --env-out FILE         also write the dotenv file (KUBECONFIG, AZURE_*, NODE_EXTRA_CA_CERTS, HTTPS_PROXY,
                         KVROLLOVER_SANDBOX_*) to FILE
  --state-dir DIR        keep the CA, kubeconfig, env file and samples in DIR (default: a temporary dir)
  --clock-speed N        virtual seconds per real second for the simulated world (default 60)
  --no-throttling        turn Azure's documented throttling off`;
export const sandboxCommand = async (argv) => {
    const { values } = parseArgs({
        args: argv,
        options: {
            scenario: { type: 'string', default: 'servicefabric' },
            'kubeconfig-out': { type: 'string' },
            'env-out': { type: 'string' },
            'state-dir': { type: 'string' },
            'clock-speed': { type: 'string', default: '60' },
            'no-throttling': { type: 'boolean', default: false },
            help: { type: 'boolean', short: 'h' },
        },
        strict: true,
    });
    if (values.help === true) {
        console.log(HELP.replace('${SCENARIOS}', scenarioNames().join(', ')));
        return 0;
    }
    if (!scenarioNames().includes(values.scenario)) {
        throw new UsageError(`unknown scenario "${values.scenario}"; known: ${scenarioNames().join(', ')}`);
    }
    const clockSpeed = Number(values['clock-speed']);
    if (!Number.isFinite(clockSpeed) || clockSpeed < 0)
        throw new UsageError('--clock-speed must be a number ≥ 0');
    const sandbox = await startSandbox({
        scenario: values.scenario,
        clockSpeed,
        throttling: !values['no-throttling'],
        ...(values['state-dir'] === undefined ? {} : { stateDir: values['state-dir'] }),
    });
    if (values['kubeconfig-out'] !== undefined)
        await copyFile(sandbox.kubeconfigPath, values['kubeconfig-out']);
    if (values['env-out'] !== undefined)
        await copyFile(sandbox.envPath, values['env-out']);
    const envFile = values['env-out'] ?? sandbox.envPath;
    console.log(`kv-rollover sandbox: scenario "${sandbox.scenario.name}" is running.

Seeded:
${sandbox.scenario.summary.map((l) => `  - ${l}`).join('\n')}

Kubernetes API   ${sandbox.kube.url}
  kubeconfig     ${values['kubeconfig-out'] ?? sandbox.kubeconfigPath}
Azure (ARM)      ${sandbox.azure.armEndpoint} via proxy ${sandbox.azure.proxyUrl}
  vault          ${sandbox.env.KVROLLOVER_SANDBOX_VAULT_URI ?? ''}
  CA bundle      ${sandbox.azure.caPath}
  credentials    tenant ${sandbox.azure.tenantId}, client ${sandbox.azure.operator.clientId} (secret in the env file)
Env file         ${envFile}
Samples          ${sandbox.samplePaths.join(' ')}

Try:
  set -a; . ${envFile}; set +a
  kubectl get crds
  kubectl apply -f ${sandbox.samplePaths[0] ?? 'deploy/samples/servicefabriccertificaterotation.yaml'}
  kv-rollover run --leader-elect=false
  kubectl get sfcr -w

Press Ctrl-C to stop.`);
    await new Promise((resolve) => {
        process.once('SIGINT', resolve);
        process.once('SIGTERM', resolve);
    });
    await sandbox.close();
    return 0;
};
//# sourceMappingURL=sandbox.js.map