// The Azure side of the simulated world: one object that every emulated service and every resource
// provider shares. AZ-ARM's providers (compute, servicefabric, batch) hook in with
// `registerArmProvider`; scenarios seed it; tests and benchmarks read its clock, counters and faults.
import { randomUUID } from 'node:crypto';
import { VirtualClock } from '../clock.js';
import { RoleAssignmentStore } from './authz.js';
import { RequestCounters } from './counters.js';
import { FaultInjector } from './faults.js';
import { IdentityStore } from './identity/store.js';
import { CaRegistry } from './keyvault/ca.js';
import { CertificateEngine } from './keyvault/engine.js';
import { VaultStore } from './keyvault/store.js';
import { LroManager } from './lro.js';
import { Router } from './router.js';
import { AZURE_LIMITS, Throttler } from './throttle.js';
export class AzureWorld {
    clock;
    tenantId;
    subscriptionId;
    router = new Router();
    counters = new RequestCounters();
    faults = new FaultInjector();
    throttle;
    identities;
    roleAssignments = new RoleAssignmentStore();
    vaults;
    cas;
    /** Certificate lifecycle (create, renew, import, auto-renewal) and the scenario controls. */
    certificates;
    lro;
    certificateIssuanceDelayMs;
    vaultPageSize;
    resourceGroups = new Map();
    constructor(options = {}) {
        this.clock = options.clock ?? new VirtualClock();
        this.tenantId = options.tenantId ?? randomUUID();
        this.subscriptionId = options.subscriptionId ?? randomUUID();
        const limits = typeof options.throttling === 'object' ? { ...AZURE_LIMITS, ...options.throttling } : AZURE_LIMITS;
        this.throttle = new Throttler(limits, options.throttling !== false);
        this.identities = new IdentityStore(this.tenantId);
        this.vaults = new VaultStore(this.roleAssignments);
        this.cas = new CaRegistry(this.clock, options.rsaKeyPool ?? []);
        this.certificateIssuanceDelayMs = options.certificateIssuanceDelayMs ?? 0;
        this.vaultPageSize = options.vaultPageSize ?? 25;
        this.certificates = new CertificateEngine(this.clock, this.vaults, this.cas, this.certificateIssuanceDelayMs);
        this.lro = new LroManager(this.clock, this.router, {
            retryAfterSeconds: options.lroRetryAfterSeconds ?? 1,
            injectedFailure: (operation) => this.faults.takeLroFailure(operation),
        });
    }
    /** Waits for background work (certificate issuance) to finish; call after `clock.advance`. */
    async settle() {
        await this.certificates.settle();
    }
    /** Lets a resource provider register its routes (and clock listeners) against this world. */
    registerArmProvider(provider) {
        provider(this);
    }
    addResourceGroup(name, location, subscriptionId = this.subscriptionId) {
        const rg = { subscriptionId, name, location };
        this.resourceGroups.set(`${subscriptionId}/${name}`.toLowerCase(), rg);
        return rg;
    }
    /** The world's subscription, or one a resource group was added in (case-insensitive). */
    knowsSubscription(subscriptionId) {
        const id = subscriptionId.toLowerCase();
        if (id === this.subscriptionId.toLowerCase())
            return true;
        for (const rg of this.resourceGroups.values())
            if (rg.subscriptionId.toLowerCase() === id)
                return true;
        return false;
    }
    /** Resource groups compare case-insensitively, as ARM does. */
    getResourceGroup(name, subscriptionId = this.subscriptionId) {
        return this.resourceGroups.get(`${subscriptionId}/${name}`.toLowerCase());
    }
}
//# sourceMappingURL=world.js.map