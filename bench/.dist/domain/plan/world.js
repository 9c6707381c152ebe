import { presentationOrderOf } from '../observed/cluster.js';
import { parseKeyVaultId, vaultBaseUri, vaultNameOf, versionlessSecretUrl, } from '../observed/keyvault-url.js';
import { sameThumbprint } from '../x509.js';
/** ARM terminal provisioning states; anything else means an operation is still running [ARM-ASYNC]. */
const TERMINAL = new Set(['succeeded', 'failed', 'canceled']);
export function eqi(a, b) {
    return a !== undefined && b !== undefined && a.toLowerCase() === b.toLowerCase();
}
/** The world as the planner sees it for one spec at one instant. */
export class World {
    spec;
    observed;
    now;
    vaultName;
    secretUrl;
    order;
    nodeTypes;
    /** Latest enabled version (Key Vault's "current" version), quarantine candidates included. */
    vaultLatest;
    /** Newer enabled versions whose issuer is not pinned, to be disabled when quarantine is on. */
    quarantine;
    /** The version to roll to: latest enabled version that is not being quarantined. */
    goal;
    constructor(spec, observed, now) {
        this.spec = spec;
        this.observed = observed;
        this.now = now;
        this.vaultName = vaultNameOf(spec.certificate.vault);
        this.secretUrl = versionlessSecretUrl(spec.certificate.vault, spec.certificate.name);
        this.order = presentationOrderOf(observed.cluster.clusterCodeVersion);
        this.nodeTypes = spec.cluster.nodeTypes.map((nt) => ({
            nodeType: nt.name,
            vmssName: nt.vmssName,
            scaleSet: observed.scaleSets.find((s) => eqi(s.name, nt.vmssName)),
        }));
        const enabled = observed.vault.versions.filter((v) => v.enabled);
        this.vaultLatest = enabled.at(-1);
        this.quarantine = spec.policy.quarantineUntrustedVersions ? this.quarantineCandidates(enabled) : [];
        this.goal = enabled.filter((v) => !this.quarantine.includes(v)).at(-1);
    }
    /**
     * Enabled versions newer than the newest trusted one whose direct issuer is not pinned by the spec.
     * With no trusted version at all there is nothing to fall back to: nothing is quarantined (the planner
     * blocks with IssuerNotPinned instead of disabling the vault's only certificates).
     */
    quarantineCandidates(enabled) {
        const lastTrusted = enabled.findLastIndex((v) => this.issuerPinnedBySpec(v));
        if (lastTrusted < 0)
            return [];
        // A version the cluster declares or a scale set references is in use: disabling it would fail later
        // scale set deployments [SF-MGMT][VMSS-FAQ]; quarantine is for versions nothing uses yet.
        const declared = [
            this.observed.cluster.certificate?.thumbprint,
            this.observed.cluster.certificate?.thumbprintSecondary,
        ];
        const inUse = (v) => declared.some((tp) => sameThumbprint(tp, v.thumbprint)) ||
            this.observed.scaleSets.some((ss) => ss.secrets.some((s) => s.vaultName === this.vaultName &&
                eqi(s.secretName, this.spec.certificate.name) &&
                eqi(s.version, v.version)));
        return enabled.slice(lastTrusted + 1).filter((v) => !this.issuerPinnedBySpec(v) && !inUse(v));
    }
    get pins() {
        return this.spec.certificate.issuerThumbprints.map((t) => t.toUpperCase());
    }
    issuerPinnedBySpec(v) {
        return v.issuerThumbprint !== undefined && this.pins.some((p) => sameThumbprint(p, v.issuerThumbprint));
    }
    get clusterSettled() {
        const c = this.observed.cluster;
        return (c.clusterState === 'Ready' &&
            (c.provisioningState === undefined || TERMINAL.has(c.provisioningState.toLowerCase())));
    }
    /** The cluster's pinned issuers for the spec's common name, or undefined when not CN-declared with it. */
    get clusterPins() {
        return this.observed.cluster.certificateCommonNames?.commonNames.find((c) => c.commonName === this.spec.certificate.commonName)?.issuerThumbprints;
    }
    get clusterDeclaresSpecCommonName() {
        return this.observed.cluster.certificate === undefined && this.clusterPins !== undefined;
    }
    /** A version of the spec's vault certificate by thumbprint. */
    versionByThumbprint(tp) {
        return tp === undefined
            ? undefined
            : this.observed.vault.versions.find((v) => sameThumbprint(v.thumbprint, tp));
    }
    /** Dates of any known certificate by thumbprint: a vault version or another observed certificate. */
    datesOf(tp) {
        const v = this.versionByThumbprint(tp);
        if (v)
            return v;
        return this.observed.otherCertificates.find((o) => sameThumbprint(o.thumbprint, tp));
    }
    /**
     * Whether `a` is presented before `b` by the runtime: newest NotBefore (≥ 7.2.445), farthest NotAfter
     * before [SF-CERTS][SF-MGMT]. Undefined when either date is unknown.
     */
    presentedBefore(a, b) {
        const key = this.order === 'NotBefore' ? 'notBefore' : 'notAfter';
        const da = a?.[key];
        const db = b?.[key];
        if (da === undefined || db === undefined)
            return undefined;
        return da.getTime() > db.getTime();
    }
    // ---- scale sets ----
    /** Versioned secrets of the spec's vault certificate in a scale set's osProfile. */
    certificateSecrets(ss) {
        return ss.secrets.filter((s) => s.vaultName === this.vaultName &&
            eqi(s.secretName, this.spec.certificate.name) &&
            s.version !== undefined);
    }
    hasVersionSecret(ss, v) {
        return this.certificateSecrets(ss).some((s) => eqi(s.version, v.version));
    }
    /** The KeyVault extension that observes (or should observe) the spec's certificate. */
    keyVaultExtension(ss) {
        return (ss.keyVaultExtensions.find((e) => e.observedCertificates.some((o) => this.observesCertificate(o.url))) ?? ss.keyVaultExtensions[0]);
    }
    /** Some KeyVault extension of the scale set observes the spec's certificate (in whatever form). */
    extensionObservesCertificate(ss) {
        return ss.keyVaultExtensions.some((e) => e.observedCertificates.some((o) => this.observesCertificate(o.url)));
    }
    /**
     * The KeyVault extension observes the certificate and has succeeded on every instance: it has installed
     * the latest version on every node (with requireInitialSync it reports success only then [SF-MGMT]).
     */
    extensionDelivers(ss) {
        const ext = ss.keyVaultExtensions.find((e) => e.observedCertificates.some((o) => this.observesCertificate(o.url)));
        return ext !== undefined && this.extensionSucceededEverywhere(ss, ext.name);
    }
    /** The URL names the spec's certificate in its vault (secrets collection), any version. */
    observesCertificate(url) {
        const id = parseKeyVaultId(url);
        return id !== undefined && id.vaultName === this.vaultName && eqi(id.name, this.spec.certificate.name);
    }
    /** The extension observes the versionless secret URL with settings equal in meaning to the spec. */
    keyVaultExtensionMatches(ss) {
        const ext = this.keyVaultExtension(ss);
        if (ext === undefined)
            return false;
        const want = this.spec.keyVaultExtension;
        const observed = ext.observedCertificates.find((o) => this.observesCertificate(o.url));
        if (observed === undefined)
            return false;
        const id = parseKeyVaultId(observed.url);
        const isWindows = want.type === 'KeyVaultForWindows';
        return (eqi(ext.type, want.type) &&
            id?.collection === 'secrets' &&
            id.version === undefined &&
            ext.requireInitialSync === want.requireInitialSync &&
            // linkOnRenewal does not exist on Linux [KVL-25]: absent there means false.
            (ext.linkOnRenewal ?? false) === (isWindows ? want.linkOnRenewal : false) &&
            ext.pollingIntervalInS === want.pollingIntervalInS &&
            eqi(ext.msiClientId, this.clientId) &&
            (!isWindows || eqi(observed.certificateStoreName, this.spec.certificate.x509StoreName)));
    }
    /** The Service Fabric extension waits for the KeyVault extension and declares the common name. */
    serviceFabricExtensionMatches(ss) {
        const sf = ss.serviceFabricExtension;
        const kv = this.keyVaultExtension(ss);
        if (sf === undefined || kv === undefined)
            return false;
        return (sf.certificateThumbprint === undefined &&
            sf.certificateCommonNames.length === 1 &&
            sf.certificateCommonNames[0] === this.spec.certificate.commonName &&
            sf.provisionAfterExtensions.some((e) => e === kv.name));
    }
    hasIdentity(ss) {
        return ss.userAssignedIdentityIds.includes(this.spec.identity.resourceId.toLowerCase());
    }
    /** Everything InstallKeyVaultExtension declares is in the scale set model. */
    autoRolloverDeclared(ss) {
        return (this.hasIdentity(ss) &&
            this.keyVaultExtensionMatches(ss) &&
            this.serviceFabricExtensionMatches(ss) &&
            this.certificateSecrets(ss).length === 0);
    }
    get clientId() {
        return this.spec.identity.clientId ?? this.observed.identity?.clientId;
    }
    /** The model is applied: provisioning succeeded and every instance runs the latest model. */
    scaleSetSettled(ss) {
        return eqi(ss.provisioningState, 'Succeeded') && (ss.instances ?? []).every((i) => i.latestModelApplied);
    }
    /** No operation is running on the scale set, so a new model update may start. */
    scaleSetIdle(ss) {
        return ss.provisioningState === undefined || TERMINAL.has(ss.provisioningState.toLowerCase());
    }
    /**
     * Every instance reports the named extension succeeded. Without instance data, judged from the scale
     * set's provisioningState alone (design §2).
     */
    extensionSucceededEverywhere(ss, extensionName) {
        if (!this.scaleSetSettled(ss))
            return false;
        if (ss.instances === undefined)
            return true;
        return ss.instances.every((i) => i.extensions[extensionName] === 'succeeded');
    }
    /** The vault resource id for a new `osProfile.secrets` group. */
    sourceVaultId(ss) {
        const existing = ss.secrets.find((s) => s.vaultName === this.vaultName && s.sourceVaultId !== undefined);
        if (existing?.sourceVaultId)
            return existing.sourceVaultId;
        if (this.observed.access?.vaultId)
            return this.observed.access.vaultId;
        // Assumption when nothing observed names it: the vault lives in the rotation's resource group.
        const { subscriptionId, resourceGroup } = this.spec.azure;
        return `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroup}/providers/Microsoft.KeyVault/vaults/${this.vaultName}`;
    }
    get vaultUri() {
        return vaultBaseUri(this.spec.certificate.vault);
    }
}
//# sourceMappingURL=world.js.map