// Typed observations of the Azure world, as the planner reads them. Built by the pure parse functions of
// this directory from the raw REST bodies (the snapshot layout of design §2), so a live gather and an
// offline snapshot give the planner exactly the same input. Thumbprints are uppercase hex.

/** `properties.certificate` of a Service Fabric cluster [SF-SPEC]. */
export interface ClusterThumbprintDeclaration {
  readonly thumbprint: string;
  readonly thumbprintSecondary: string | undefined;
  readonly x509StoreName: string | undefined;
}

/** One entry of `properties.certificateCommonNames.commonNames` [SF-SPEC]. */
export interface ClusterCommonName {
  readonly commonName: string;
  /** `certificateIssuerThumbprint` split on commas and normalized; empty = trust anchor only. */
  readonly issuerThumbprints: readonly string[];
}

export interface ClusterCommonNameDeclaration {
  readonly commonNames: readonly ClusterCommonName[];
  readonly x509StoreName: string | undefined;
}

export interface ClusterObservation {
  readonly id: string | undefined;
  readonly name: string | undefined;
  readonly certificate: ClusterThumbprintDeclaration | undefined;
  readonly certificateCommonNames: ClusterCommonNameDeclaration | undefined;
  /** `Ready` is the only stable state [SF-SPEC]. */
  readonly clusterState: string | undefined;
  readonly provisioningState: string | undefined;
  readonly clusterCodeVersion: string | undefined;
  readonly nodeTypeNames: readonly string[];
}

/** One `osProfile.secrets[].vaultCertificates[]` entry. */
export interface ScaleSetSecret {
  readonly sourceVaultId: string | undefined;
  readonly certificateUrl: string;
  readonly certificateStore: string | undefined;
  /** Parsed from the URL; undefined for a URL that is not a Key Vault object id. */
  readonly vaultName: string | undefined;
  readonly secretName: string | undefined;
  readonly version: string | undefined;
}

export interface ObservedCertificateSetting {
  readonly url: string;
  readonly certificateStoreName: string | undefined;
  readonly certificateStoreLocation: string | undefined;
}

/** The KeyVault VM extension as declared in the scale set model [KVW-24][KVL-25]. */
export interface KeyVaultExtensionObservation {
  readonly name: string;
  readonly publisher: string;
  readonly type: string;
  readonly typeHandlerVersion: string | undefined;
  /** v1.0 lists observed certificates as strings; v3.0 as objects [KVW-24]. */
  readonly settingsForm: 'strings' | 'objects';
  readonly pollingIntervalInS: number | undefined;
  readonly linkOnRenewal: boolean | undefined;
  readonly requireInitialSync: boolean | undefined;
  readonly observedCertificates: readonly ObservedCertificateSetting[];
  readonly msiClientId: string | undefined;
  readonly msiEndpoint: string | undefined;
}

/** The ServiceFabricNode extension's certificate settings [SF-TP2CN]. */
export interface ServiceFabricExtensionObservation {
  readonly name: string;
  readonly type: string;
  readonly certificateThumbprint: string | undefined;
  readonly certificateCommonNames: readonly string[];
  readonly certificateSecondaryThumbprint: string | undefined;
  readonly x509StoreName: string | undefined;
  readonly provisionAfterExtensions: readonly string[];
}

export type ExtensionStatus = 'succeeded' | 'failed' | 'transitioning' | 'unknown';

export interface InstanceObservation {
  readonly instanceId: string;
  readonly latestModelApplied: boolean;
  /** Per-extension provisioning status from the instance view, keyed by extension name. */
  readonly extensions: Readonly<Record<string, ExtensionStatus>>;
}

export interface ScaleSetObservation {
  readonly name: string;
  readonly id: string | undefined;
  readonly provisioningState: string | undefined;
  readonly upgradeMode: string | undefined;
  readonly identityType: string | undefined;
  /** Lowercased resource ids of the user-assigned identities. */
  readonly userAssignedIdentityIds: readonly string[];
  readonly secrets: readonly ScaleSetSecret[];
  readonly keyVaultExtensions: readonly KeyVaultExtensionObservation[];
  readonly serviceFabricExtension: ServiceFabricExtensionObservation | undefined;
  /** Undefined when no instance data was gathered (completion is then judged from provisioningState). */
  readonly instances: readonly InstanceObservation[] | undefined;
}

/** One version of the vault certificate, from the versions list and (when read) its certificate bundle. */
export interface VaultVersionObservation {
  readonly version: string;
  readonly certificateId: string;
  /** The versioned secret URL (`sid`), what `osProfile.secrets` references. */
  readonly secretId: string;
  readonly thumbprint: string | undefined;
  /** Direct issuer from the chain; the certificate's own thumbprint when self-signed. */
  readonly issuerThumbprint: string | undefined;
  readonly notBefore: Date | undefined;
  readonly notAfter: Date | undefined;
  readonly created: Date | undefined;
  readonly enabled: boolean;
  readonly commonName: string | undefined;
  readonly dnsNames: readonly string[];
  readonly selfSigned: boolean;
}

export interface VaultPolicyObservation {
  readonly issuerName: string | undefined;
  readonly subject: string | undefined;
  readonly dnsNames: readonly string[];
  readonly validityInMonths: number | undefined;
  readonly autoRenew: boolean;
  readonly lifetimePercentage: number | undefined;
  readonly daysBeforeExpiry: number | undefined;
  readonly contentType: string | undefined;
  readonly keyType: string | undefined;
  readonly keySize: number | undefined;
  readonly reuseKey: boolean | undefined;
  readonly exportable: boolean | undefined;
  readonly ekus: readonly string[];
}

export interface VaultCertificateObservation {
  readonly name: string;
  /** Every version, oldest first (by creation time). */
  readonly versions: readonly VaultVersionObservation[];
  readonly policy: VaultPolicyObservation | undefined;
  /** A create/renew operation is pending in the vault [KV-CREATE]. */
  readonly pendingOperation: boolean;
}

export interface VaultAccessObservation {
  readonly vaultId: string | undefined;
  readonly model: 'AccessPolicy' | 'Rbac';
  /** Under RBAC without role-assignment data this is undefined (cannot be judged). */
  readonly identityCanReadSecrets: boolean | undefined;
  readonly tenantId: string | undefined;
}

export interface IdentityObservation {
  readonly resourceId: string;
  readonly principalId: string | undefined;
  readonly clientId: string | undefined;
  readonly tenantId: string | undefined;
}

/** Another vault certificate provisioned to the same nodes (for SAN overlap and presentation order). */
export interface OtherCertificateObservation {
  readonly name: string;
  readonly thumbprint: string | undefined;
  readonly dnsNames: readonly string[];
  readonly notBefore: Date | undefined;
  readonly notAfter: Date | undefined;
}

/** Everything the Service Fabric planner observes for one rotation. */
export interface ServiceFabricObservation {
  readonly cluster: ClusterObservation;
  /** One per declared node type's scale set; a missing scale set is absent from the list. */
  readonly scaleSets: readonly ScaleSetObservation[];
  readonly vault: VaultCertificateObservation;
  readonly access: VaultAccessObservation | undefined;
  readonly identity: IdentityObservation | undefined;
  readonly otherCertificates: readonly OtherCertificateObservation[];
}
