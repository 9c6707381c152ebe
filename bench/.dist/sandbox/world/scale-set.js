// A simulated VM scale set: its REST model, its instances, and how a model change reaches them.
// - Automatic upgrade policy: every instance applies the new model; Manual: nothing happens to
//   existing VMs until `manualupgrade` (latestModelApplied stays false) [VMSS-UP][VMSS-MAN][VMSS-FAQ];
//   Rolling is treated as Automatic (no health probes simulated).
// - `osProfile.secrets` install the referenced (versioned) certificates on model application; removing
//   a secret does not remove certificates from existing VMs; reimage resets the store; scale-out VMs
//   get only what the current model references [VMSS-FAQ][SF-MGMT].
// - A write is a long-running operation: Updating until every targeted instance applied the model and
//   every extension finished provisioning; Failed with VMExtensionProvisioningError (or
//   VMExtensionProvisioningTimeout after 90 minutes of Transitioning) when an extension fails
//   [ARM-ASYNC], azure.md §3.3.
import { randomUUID } from 'node:crypto';
import { SimNode } from './node.js';
import { parseSecretUrl } from './types.js';
import { scaleSetExtensions, scaleSetSecrets, upgradeMode, userAssignedIdentityIds } from './vmss-model.js';
/** How long CRP waits for extensions to leave Transitioning before failing the operation (not documented; our choice). */
export const EXTENSION_PROVISIONING_TIMEOUT_MS = 90 * 60 * 1000;
/** Instances per scale set spread over this many platform update domains (the default of 5). */
const UPDATE_DOMAINS = 5;
export class ScaleSetSim {
    subscriptionId;
    resourceGroup;
    name;
    deps;
    resource;
    modelVersion = 1;
    instances = [];
    operations = new Map();
    lastOperation;
    nextInstanceId = 0;
    timeoutTimer;
    constructor(subscriptionId, resourceGroup, name, resource, deps) {
        this.subscriptionId = subscriptionId;
        this.resourceGroup = resourceGroup;
        this.name = name;
        this.deps = deps;
        this.resource = resource;
    }
    get id() {
        return `/subscriptions/${this.subscriptionId}/resourceGroups/${this.resourceGroup}/providers/Microsoft.Compute/virtualMachineScaleSets/${this.name}`;
    }
    upgradeMode() {
        return upgradeMode(this.resource);
    }
    /** The scale set's provisioning state as GET reports it. */
    provisioningState() {
        const op = this.lastOperation;
        if (op === undefined)
            return 'Succeeded';
        if (op.status === 'InProgress')
            return op.kind === 'write' ? 'Updating' : 'Succeeded';
        if (op.status === 'Failed' && op.kind === 'write')
            return 'Failed';
        return 'Succeeded';
    }
    latestModelApplied(node) {
        return node.modelVersion >= this.modelVersion;
    }
    /** The identity behind a user-assigned identity resource id (for GET bodies). */
    identityInfo(resourceId) {
        return this.deps.vault.identity(resourceId);
    }
    /** Client ids of the user-assigned identities the scale set carries. */
    assignedClientIds() {
        return userAssignedIdentityIds(this.resource.identity)
            .map((id) => this.deps.vault.identity(id)?.clientId)
            .filter((id) => id !== undefined);
    }
    /**
     * Checks the secrets the model references as CRP does when it applies a model: versioned URL, secret
     * present and enabled, vault enabled for deployment.
     */
    checkSecrets(resource) {
        for (const group of scaleSetSecrets(resource)) {
            for (const vc of group.vaultCertificates ?? []) {
                const url = vc.certificateUrl ?? '';
                const parsed = parseSecretUrl(url);
                if (parsed?.version === undefined) {
                    return {
                        code: 'InvalidParameter',
                        message: `The certificate URL '${url}' is not a versioned Key Vault secret URL.`,
                    };
                }
                const vaultName = (group.sourceVault?.id ?? '').split('/').pop()?.toLowerCase();
                if (vaultName !== undefined && vaultName !== '' && vaultName !== parsed.vault) {
                    return {
                        code: 'KeyVaultAndSourceVaultMismatch',
                        message: `The certificate URL '${url}' does not belong to the source vault '${group.sourceVault?.id ?? ''}'.`,
                    };
                }
                const read = this.deps.vault.readSecret(parsed.vault, parsed.name, parsed.version, {
                    kind: 'deployment',
                });
                if (!read.ok) {
                    if (read.failure === 'NotEnabledForDeployment' || read.failure === 'Forbidden') {
                        return {
                            code: 'KeyVaultAccessForbidden',
                            message: `Key Vault ${group.sourceVault?.id ?? parsed.vault} either has not been enabled for deployment or the vault id provided does not match the Key Vault's true resource id.`,
                        };
                    }
                    return {
                        code: 'KeyVaultSecretDoesNotExist',
                        message: `The secret ${url} does not exist or is disabled in Key Vault (${read.message}).`,
                    };
                }
            }
        }
        return undefined;
    }
    /** Creates the initial instances (sku.capacity) from the current model. */
    provision(at) {
        const op = this.beginOperation('write', at, []);
        this.scaleTo(this.resource.sku?.capacity ?? 0, at);
        this.evaluate(at);
        return op;
    }
    /** Accepts a new model (PUT or PATCH merged by the caller) and starts applying it. */
    write(resource, at) {
        const before = this.resource;
        this.resource = resource;
        this.modelVersion += 1;
        const secretError = this.checkSecrets(resource);
        const automatic = this.upgradeMode() !== 'Manual';
        const targeted = automatic ? this.instances.map((node) => node.id) : [];
        const op = this.beginOperation('write', at, targeted);
        if (secretError !== undefined) {
            this.finish(op, 'Failed', at, secretError);
            return op;
        }
        const capacityBefore = before.sku?.capacity ?? this.instances.length;
        const capacity = resource.sku?.capacity ?? capacityBefore;
        const apply = (when) => {
            if (automatic)
                for (const node of [...this.instances])
                    this.applyModel(node, when);
            this.scaleTo(capacity, when);
            this.evaluate(when);
        };
        if (this.deps.applyDelayMs <= 0)
            apply(at);
        else
            this.deps.scheduler.at(new Date(at.getTime() + this.deps.applyDelayMs), apply);
        this.evaluate(at);
        return op;
    }
    /** POST manualupgrade: the listed instances apply the latest model [VMSS-MAN]. */
    manualUpgrade(instanceIds, at) {
        const op = this.beginOperation('manualUpgrade', at, instanceIds);
        const secretError = this.checkSecrets(this.resource);
        if (secretError !== undefined) {
            this.finish(op, 'Failed', at, secretError);
            return op;
        }
        for (const id of instanceIds) {
            const node = this.instances.find((n) => n.id === id);
            if (node !== undefined)
                this.applyModel(node, at);
        }
        this.evaluate(at);
        return op;
    }
    /** POST reimage: new OS disks, store cleared, the current model re-applied [VMSS-FAQ]. */
    reimage(instanceIds, at) {
        const ids = instanceIds ?? this.instances.map((node) => node.id);
        const op = this.beginOperation('reimage', at, ids);
        for (const id of ids) {
            const node = this.instances.find((n) => n.id === id);
            if (node === undefined)
                continue;
            node.reimage();
            this.deps.onChange(`${node.name}: reimaged (certificate store reset)`, at);
            this.applyModel(node, at);
        }
        this.evaluate(at);
        return op;
    }
    /** Adds or removes instances to reach `capacity`; new instances get only the current model. */
    scaleTo(capacity, at) {
        while (this.instances.length < capacity) {
            const id = String(this.nextInstanceId++);
            const ud = Number(id) % UPDATE_DOMAINS;
            const node = new SimNode(id, `${this.name}_${id}`, ud, ud, {
                vault: this.deps.vault,
                scheduler: this.deps.scheduler,
                assignedClientIds: () => this.assignedClientIds(),
                onChange: (cause, when) => {
                    this.deps.onChange(cause, when);
                    this.evaluate(when);
                },
            });
            this.instances.push(node);
            if (this.lastOperation?.status === 'InProgress')
                this.lastOperation.created.push(node.id);
            this.deps.onInstanceCreated(this, node);
            this.applyModel(node, at);
            this.deps.onChange(`${node.name}: created (scale-out)`, at);
        }
        while (this.instances.length > capacity) {
            const node = this.instances.pop();
            if (node === undefined)
                break;
            node.dispose();
            this.deps.onChange(`${node.name}: deleted (scale-in)`, at);
        }
        if (this.resource.sku !== undefined)
            this.resource.sku.capacity = this.instances.length;
    }
    /** Applies the current model to one instance: secrets installed, extensions brought to the model. */
    applyModel(node, at) {
        node.modelVersion = this.modelVersion;
        node.provisioningError = undefined;
        for (const group of scaleSetSecrets(this.resource)) {
            for (const vc of group.vaultCertificates ?? []) {
                const parsed = parseSecretUrl(vc.certificateUrl ?? '');
                if (parsed?.version === undefined)
                    continue;
                const read = this.deps.vault.readSecret(parsed.vault, parsed.name, parsed.version, {
                    kind: 'deployment',
                });
                if (!read.ok) {
                    node.provisioningError = { code: 'KeyVaultSecretDoesNotExist', message: read.message };
                    continue;
                }
                const installed = node.store.install(read.secret.certificate, {
                    hasPrivateKey: read.secret.hasPrivateKey,
                    at,
                    source: 'osProfile',
                    vaultRef: `${parsed.vault}/${parsed.name}/${parsed.version}`,
                });
                if (installed) {
                    this.deps.onChange(`${node.name}: osProfile secret ${parsed.vault}/${parsed.name}/${parsed.version} installed (${read.secret.certificate.thumbprint})`, at);
                }
            }
        }
        node.applyExtensions(extensionSpecs(this.resource), at);
        this.deps.onChange(`${node.name}: model ${this.modelVersion} applied`, at);
    }
    beginOperation(kind, at, instanceIds) {
        if (this.lastOperation?.status === 'InProgress') {
            // A newer write supersedes the previous one; the older operation ends with the newer's outcome.
            this.finish(this.lastOperation, 'Succeeded', at, undefined);
        }
        const op = {
            id: randomUUID(),
            kind,
            startedAt: at,
            instanceIds,
            modelVersion: this.modelVersion,
            created: [],
            status: 'InProgress',
            endTime: undefined,
            error: undefined,
        };
        this.operations.set(op.id, op);
        this.lastOperation = op;
        this.deps.scheduler.cancel(this.timeoutTimer);
        this.timeoutTimer = this.deps.scheduler.at(new Date(at.getTime() + EXTENSION_PROVISIONING_TIMEOUT_MS), (when) => this.evaluate(when));
        return op;
    }
    /** Ends a running operation with an error from outside the world (an injected LRO failure). */
    fail(op, error, at) {
        // The LRO decides the outcome here, even when the instances had already converged.
        op.status = 'InProgress';
        this.finish(op, 'Failed', at, error);
    }
    finish(op, status, at, error) {
        if (op.status !== 'InProgress')
            return;
        op.status = status;
        op.endTime = at;
        op.error = error;
        this.deps.onChange(`scale set ${this.name}: operation ${op.kind} ${status}${error ? ` (${error.code})` : ''}`, at);
    }
    /** Recomputes the running operation's status from the instances. */
    evaluate(at) {
        const op = this.lastOperation;
        if (op === undefined || op.status !== 'InProgress')
            return;
        const scope = op.kind === 'write'
            ? this.instances
            : this.instances.filter((node) => op.instanceIds.includes(node.id));
        const targeted = op.kind === 'write' && this.upgradeMode() === 'Manual'
            ? this.instances.filter((node) => op.created.includes(node.id))
            : scope;
        if (targeted.some((node) => node.modelVersion < op.modelVersion))
            return;
        for (const node of targeted) {
            if (node.provisioningError !== undefined) {
                this.finish(op, 'Failed', at, node.provisioningError);
                return;
            }
        }
        let transitioning = false;
        for (const node of targeted) {
            for (const ext of node.extensions.values()) {
                if (ext.state === 'failed') {
                    this.finish(op, 'Failed', at, {
                        code: 'VMExtensionProvisioningError',
                        message: `VM has reported a failure when processing extension '${ext.spec.name}' (publisher '${ext.spec.publisher}' and type '${ext.spec.type}'). Error message: '${ext.message}'.`,
                    });
                    return;
                }
                if (ext.state === 'transitioning')
                    transitioning = true;
            }
        }
        if (!transitioning) {
            this.finish(op, 'Succeeded', at, undefined);
            return;
        }
        if (at.getTime() - op.startedAt.getTime() >= EXTENSION_PROVISIONING_TIMEOUT_MS) {
            this.finish(op, 'Failed', at, {
                code: 'VMExtensionProvisioningTimeout',
                message: 'Provisioning of VM extension has timed out. Extension provisioning has taken too long to complete.',
            });
        }
    }
}
/** The model's extensions as the node runtime takes them. */
export function extensionSpecs(resource) {
    return scaleSetExtensions(resource).map((ext) => ({
        name: ext.name ?? '',
        publisher: ext.properties?.publisher ?? '',
        type: ext.properties?.type ?? '',
        typeHandlerVersion: ext.properties?.typeHandlerVersion,
        settings: ext.properties?.settings,
        provisionAfterExtensions: ext.properties?.provisionAfterExtensions ?? [],
        forceUpdateTag: ext.properties?.forceUpdateTag,
    }));
}
//# sourceMappingURL=scale-set.js.map