// One simulated VM (a scale-set instance or a Batch compute node): its certificate store, the VM
// extensions running on it, and (for Service Fabric node types) the runtime's security configuration.
import { CertificateStore } from './cert-store.js';
import { KeyVaultAgent, parseKeyVaultExtensionSettings } from './keyvault-agent.js';
function fingerprintOf(spec) {
    return JSON.stringify([
        spec.publisher,
        spec.type,
        spec.typeHandlerVersion,
        spec.settings,
        spec.provisionAfterExtensions,
        spec.forceUpdateTag,
    ]);
}
function isRecord(value) {
    return typeof value === 'object' && value !== null && !Array.isArray(value);
}
export class SimNode {
    id;
    name;
    upgradeDomain;
    faultDomain;
    deps;
    store = new CertificateStore();
    extensions = new Map();
    /** The model version this node last applied (scale sets) — compared to the model's for latestModelApplied. */
    modelVersion = 0;
    /** The Service Fabric runtime's white list and load list on this node; undefined outside a cluster. */
    sfConfig;
    /** An error from the last model application (a secret that could not be fetched). */
    provisioningError;
    createdAt;
    constructor(id, name, upgradeDomain, faultDomain, deps) {
        this.id = id;
        this.name = name;
        this.upgradeDomain = upgradeDomain;
        this.faultDomain = faultDomain;
        this.deps = deps;
        this.createdAt = deps.scheduler.now();
    }
    /** Reimage: new OS disk — the store and every extension start from scratch [VMSS-FAQ]. */
    reimage() {
        for (const ext of this.extensions.values())
            ext.agent?.stop();
        this.extensions.clear();
        this.store.clear();
    }
    /** Stops every extension (node removed). */
    dispose() {
        for (const ext of this.extensions.values())
            ext.agent?.stop();
        this.extensions.clear();
    }
    /**
     * Brings the node's extensions to `specs`: new or changed extensions (re)start, removed ones stop
     * (installed certificates stay [SF-MGMT]). Extensions without `provisionAfterExtensions` start in
     * parallel with the others, so a Service Fabric extension that does not wait for the KeyVault
     * extension looks for its certificate before the first sync (the race dependency ordering prevents).
     */
    applyExtensions(specs, at) {
        const wanted = new Set(specs.map((spec) => spec.name));
        for (const [name, ext] of this.extensions) {
            if (!wanted.has(name)) {
                ext.agent?.stop();
                this.extensions.delete(name);
            }
        }
        const started = [];
        for (const spec of specs) {
            const fingerprint = fingerprintOf(spec);
            const existing = this.extensions.get(spec.name);
            if (existing !== undefined && existing.fingerprint === fingerprint)
                continue;
            existing?.agent?.stop();
            const ext = this.createExtension(spec, fingerprint, at);
            this.extensions.set(spec.name, ext);
            started.push(ext);
        }
        // Service Fabric (and other non-agent) extensions without dependencies are evaluated first...
        for (const ext of started)
            if (ext.agent === undefined && ext.state === 'transitioning')
                this.evaluateDependent(ext, at);
        // ...then the KeyVault agents run their first cycle...
        for (const ext of started)
            ext.agent?.start(at);
        // ...then whatever waited on them.
        this.reevaluate(at);
    }
    createExtension(spec, fingerprint, at) {
        const isKeyVault = spec.type === 'KeyVaultForWindows' || spec.type === 'KeyVaultForLinux';
        if (!isKeyVault) {
            return {
                spec,
                fingerprint,
                agent: undefined,
                state: 'transitioning',
                message: 'Provisioning.',
                time: at,
            };
        }
        const parsed = parseKeyVaultExtensionSettings(spec.type, spec.typeHandlerVersion, spec.settings);
        if (!parsed.ok) {
            return { spec, fingerprint, agent: undefined, state: 'failed', message: parsed.message, time: at };
        }
        const agentDeps = {
            vault: this.deps.vault,
            scheduler: this.deps.scheduler,
            store: this.store,
            assignedClientIds: this.deps.assignedClientIds,
            onChange: (cause, when) => {
                this.reevaluate(when);
                this.deps.onChange(`${this.name}: ${cause}`, when);
            },
        };
        const agent = new KeyVaultAgent(agentDeps, parsed.value);
        return { spec, fingerprint, agent, state: 'transitioning', message: 'Extension starting.', time: at };
    }
    /** Refreshes agent-backed statuses and provisions extensions whose dependencies just succeeded. */
    reevaluate(at) {
        for (const ext of this.extensions.values()) {
            if (ext.agent !== undefined) {
                const report = ext.agent.status();
                ext.state = report.state;
                ext.message = report.message;
                ext.time = report.time;
            }
        }
        for (const ext of this.extensions.values()) {
            if (ext.agent === undefined && ext.state === 'transitioning')
                this.evaluateDependent(ext, at);
        }
    }
    evaluateDependent(ext, at) {
        for (const dep of ext.spec.provisionAfterExtensions) {
            const other = this.extensions.get(dep);
            if (other === undefined)
                continue;
            if (other.state === 'failed') {
                this.setState(ext, 'failed', `Extension '${dep}' this extension is provisioned after has failed.`, at);
                return;
            }
            if (other.state !== 'succeeded') {
                if (ext.message !== `Waiting for extension '${dep}'.`)
                    ext.message = `Waiting for extension '${dep}'.`;
                return;
            }
        }
        if (ext.spec.type === 'ServiceFabricNode') {
            const problem = this.serviceFabricCertificateProblem(ext.spec.settings);
            if (problem !== undefined)
                this.setState(ext, 'failed', problem, at);
            else
                this.setState(ext, 'succeeded', 'Service Fabric node bootstrapped.', at);
            return;
        }
        this.setState(ext, 'succeeded', 'Provisioning succeeded.', at);
    }
    setState(ext, state, message, at) {
        const changed = ext.state !== state;
        ext.state = state;
        ext.message = message;
        ext.time = at;
        if (changed)
            this.deps.onChange(`${this.name}: extension ${ext.spec.name} ${state}`, at);
    }
    /**
     * The Service Fabric node extension looks for the certificate its settings declare; a CN is found by
     * subject name exactly (a `CN=` prefix or extra RDNs fail the lookup [SF-CERTS], MicrosoftDocs/azure-docs
     * #47085).
     */
    serviceFabricCertificateProblem(settings) {
        if (!isRecord(settings) || !isRecord(settings.certificate))
            return undefined;
        const cert = settings.certificate;
        const store = typeof cert.x509StoreName === 'string' ? cert.x509StoreName : 'My';
        if (typeof cert.thumbprint === 'string') {
            const found = this.store.get(cert.thumbprint.replace(/\s/g, ''));
            if (found === undefined || !found.hasPrivateKey) {
                return `Cannot find certificate with 'FindByThumbprint' '${cert.thumbprint}' in store '${store}'.`;
            }
            return undefined;
        }
        if (Array.isArray(cert.commonNames)) {
            const names = cert.commonNames.filter((n) => typeof n === 'string');
            const now = this.deps.scheduler.now();
            for (const name of names) {
                const found = this.store
                    .list()
                    .some((c) => c.commonName === name && c.hasPrivateKey && c.notAfter.getTime() > now.getTime());
                if (!found)
                    return `Cannot find certificate with 'FindBySubjectName' '${name}' in store '${store}'.`;
            }
        }
        return undefined;
    }
}
//# sourceMappingURL=node.js.map