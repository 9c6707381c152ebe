// Azure clients for the CLI verbs, configured from the standard environment variables (AZURE_*,
// HTTPS_PROXY, NODE_EXTRA_CA_CERTS) exactly as the operator is: no switch differs between Azure and
// the sandbox.
import { AzureClients } from '../azure/clients.js';
import { resolveAzureCloud } from '../azure/cloud.js';
import { credentialFromEnvironment } from '../azure/credentials.js';
export function azureClientsFromEnvironment(subscriptionId, env = process.env) {
    const cloud = resolveAzureCloud(env);
    const { credential } = credentialFromEnvironment(cloud, env);
    return new AzureClients({ cloud, credential, subscriptionId });
}
//# sourceMappingURL=azure-env.js.map