// The changes a plan proposes: typed, declarative and complete, so the controller executes them without
// further decisions (it maps each op to one Azure write, idempotently). Every op names its target fully.

/** A Key Vault VM extension settings object in the v3.0 object form [KVW-24][KVL-25]. */
export interface KeyVaultExtensionSettings {
  readonly secretsManagementSettings: {
    /** Azure expects a string ("3600"), even though it is a number of seconds [KVW-24]. */
    readonly pollingIntervalInS: string;
    readonly linkOnRenewal: boolean;
    readonly requireInitialSync: boolean;
    readonly observedCertificates: ReadonlyArray<{
      /** Versionless secret URL: the extension follows every new version [SF-MGMT]. */
      readonly url: string;
      readonly certificateStoreName: string;
      readonly certificateStoreLocation: 'LocalMachine';
    }>;
  };
  readonly authenticationSettings: {
    readonly msiEndpoint: string;
    readonly msiClientId: string;
  };
}

/** The cluster's `certificate` (thumbprint declaration) as it must become. */
export interface ThumbprintDeclaration {
  readonly thumbprint: string;
  readonly thumbprintSecondary?: string;
  readonly x509StoreName: string;
}

/** One thumbprint entry of the ServiceFabricNode extension settings (`certificate` / `certificateSecondary`). */
export interface ExtensionThumbprint {
  readonly thumbprint: string;
  readonly x509StoreName: string;
}

/** The cluster's `certificateCommonNames` as it must become [SF-SPEC]. */
export interface CommonNameDeclaration {
  readonly commonNames: ReadonlyArray<{
    readonly certificateCommonName: string;
    /** Comma-separated SHA-1 thumbprints of the pinned direct issuers. */
    readonly certificateIssuerThumbprint: string;
  }>;
  readonly x509StoreName: string;
}

export type Change =
  /**
   * Add a versioned secret to a scale set's `osProfile.secrets` (group of `sourceVaultId`, created when
   * absent), leaving every other secret in place. The scale set's model update reaches every instance under
   * the Automatic upgrade policy [SF-UPD][VMSS-UP].
   */
  | {
      readonly op: 'AddScaleSetSecret';
      readonly vmss: string;
      readonly sourceVaultId: string;
      readonly certificateUrl: string;
      readonly certificateStore: string;
    }
  /**
   * Remove versioned secret URLs from a scale set's `osProfile.secrets` (an emptied group is dropped).
   * Certificates already on the VMs stay there [VMSS-FAQ]; only the model stops referencing them.
   */
  | {
      readonly op: 'RemoveScaleSetSecret';
      readonly vmss: string;
      readonly certificateUrls: readonly string[];
    }
  /**
   * PATCH the cluster's `certificate` to exactly this declaration. Never carries `certificateCommonNames`;
   * the planner only proposes documented add/swap/remove upgrades [SF-TP2CN][SF-UPD].
   */
  | {
      readonly op: 'PatchCluster';
      readonly certificate: ThumbprintDeclaration;
    }
  /**
   * PATCH the cluster to declare `certificateCommonNames` exactly as given. `removeCertificate: true` also
   * removes `certificate` in the same request — the TP→CN conversion, a target never holds both [SF-SRC].
   */
  | {
      readonly op: 'SetClusterCommonNames';
      readonly certificateCommonNames: CommonNameDeclaration;
      readonly removeCertificate: boolean;
    }
  /**
   * One scale set model update that switches a node type to automatic rollover [SF-MGMT]: assign the
   * user-assigned identity, install or update the KeyVault extension with `settings`, make the Service
   * Fabric extension `provisionAfterExtensions: [extensionName]` and declare `certificate.commonNames`
   * (dropping `certificateSecondary`), and remove `removeSecretUrls` from `osProfile.secrets`.
   */
  | {
      readonly op: 'InstallKeyVaultExtension';
      readonly vmss: string;
      readonly identityResourceId: string;
      readonly extensionName: string;
      readonly publisher: 'Microsoft.Azure.KeyVault';
      readonly type: string;
      readonly typeHandlerVersion: string;
      readonly settings: KeyVaultExtensionSettings;
      readonly serviceFabricExtension: {
        readonly name: string;
        readonly provisionAfterExtensions: readonly string[];
        readonly certificate: { readonly commonNames: readonly string[]; readonly x509StoreName: string };
      };
      readonly removeSecretUrls: readonly string[];
    }
  /**
   * Rewrite the ServiceFabricNode extension's certificate declaration in a scale set model (ARM step 3 of
   * the thumbprint rollover [SF-UPD], azure.md §1.3/§2.2): `settings.certificate` becomes exactly
   * `certificate` (any `commonNames` dropped) and `settings.certificateSecondary` becomes
   * `certificateSecondary`, or is removed when null. Every other extension and setting is carried over.
   * A node created or reimaged from the model bootstraps with the thumbprints named here.
   */
  | {
      readonly op: 'SetServiceFabricExtensionCertificate';
      readonly vmss: string;
      readonly extensionName: string;
      readonly certificate: ExtensionThumbprint;
      readonly certificateSecondary: ExtensionThumbprint | null;
    }
  /**
   * Retry a scale set whose last model update failed (`provisioningState: Failed`): send its model's
   * secrets list again unchanged, which makes Azure apply the model anew [ARM-ASYNC]. Proposed instead of
   * waiting forever on a scale set that will not settle by itself; the runtime's backoff spaces retries.
   */
  | {
      readonly op: 'RetryScaleSetUpdate';
      readonly vmss: string;
    }
  /**
   * Give the identity `get`/`list` on the vault's secrets: an access policy entry (`model: AccessPolicy`,
   * `vaults.updateAccessPolicy(…, 'add', …)`) or a `Key Vault Secrets User` role assignment at vault scope
   * (`model: Rbac`) [KV-RBAC][SF-MGMT].
   */
  | {
      readonly op: 'GrantVaultAccess';
      readonly vault: string;
      readonly vaultId: string | undefined;
      readonly model: 'AccessPolicy' | 'Rbac';
      readonly principalId: string;
      readonly tenantId: string | undefined;
      readonly secretPermissions: readonly ['get', 'list'];
      readonly roleDefinitionId: string;
    }
  /**
   * Quarantine: set `enabled: false` on one vault version (its issuer is not pinned) before any node's
   * extension installs it. A disabled version is inoperable: its secret cannot be read [KV-CERT].
   */
  | {
      readonly op: 'DisableVaultVersion';
      readonly vault: string;
      readonly certificateName: string;
      readonly version: string;
      readonly thumbprint: string | undefined;
    }
  /** Create the vault certificate with the declared policy (asynchronous; follow the pending operation). */
  | {
      readonly op: 'CreateVaultCertificate';
      readonly vault: string;
      readonly certificateName: string;
      readonly policy: unknown;
    }
  /** Replace the vault certificate's policy with the declared one (takes effect at the next renewal). */
  | {
      readonly op: 'UpdateVaultCertificatePolicy';
      readonly vault: string;
      readonly certificateName: string;
      readonly policy: unknown;
      readonly drift: readonly string[];
    };

export type ChangeOp = Change['op'];
