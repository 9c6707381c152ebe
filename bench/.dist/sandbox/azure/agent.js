// An HTTPS agent for clients running in the sandbox's own process (demo, benchmarks, tests): it sends
// every request for an Azure host name straight to the sandbox's HTTPS port, verifying the server
// against the transport CA under the requested name. Needed because NODE_EXTRA_CA_CERTS is read only
// at process start and @azure/core-rest-pipeline ignores `tlsOptions` when a proxy is configured.
// Pass it as the SDK client option `agent`. Out-of-process clients use HTTPS_PROXY instead.
import https from 'node:https';
import tls from 'node:tls';
export class SandboxAgent extends https.Agent {
    port;
    ca;
    constructor(port, ca) {
        super({ keepAlive: true });
        this.port = port;
        this.ca = ca;
    }
    createConnection(options) {
        const servername = options.servername ?? options.host ?? 'localhost';
        return tls.connect({ ...options, host: '127.0.0.1', port: this.port, servername, ca: this.ca });
    }
}
//# sourceMappingURL=agent.js.map