// The vocabulary of the simulated world: what a node knows about a certificate, what the world asks of
// the vault, and how the pieces report what happened. The world never holds private keys: a certificate
// on a node only carries a flag saying whether its key came with it.

/** The public facts of one X.509 certificate, as a node's certificate store sees it. */
export interface CertFacts {
  /** SHA-1 of the DER, uppercase hex (Azure's thumbprint form). */
  readonly thumbprint: string;
  /** First CN of the subject; undefined when the subject has none. */
  readonly commonName: string | undefined;
  /** DNS subject alternative names, in certificate order. */
  readonly dnsNames: readonly string[];
  readonly notBefore: Date;
  readonly notAfter: Date;
  /**
   * Thumbprint of the DIRECT issuer (the certificate that signed this one). For a self-signed certificate
   * it is the certificate's own thumbprint, which is what "pinning a self-signed certificate to itself"
   * means in [SF-TP2CN].
   */
  readonly issuerThumbprint: string;
  readonly selfSigned: boolean;
  /** The chain builds to a root the nodes trust (the sandbox root is in every node's Root store). */
  readonly chainsToTrustedRoot: boolean;
}

/** Where a certificate on a node came from (for diagnostics and the oracle's causes). */
export type InstallSource = 'osProfile' | 'keyVaultExtension' | 'scenario';

/** A certificate in a node's store. */
export interface InstalledCertificate extends CertFacts {
  readonly hasPrivateKey: boolean;
  readonly installedAt: Date;
  readonly source: InstallSource;
  /** `vault/name/version` of the vault secret it was installed from, when it came from a vault. */
  readonly vaultRef?: string;
  /**
   * Windows certificate renewal link (`CERT_RENEWAL_PROP_ID`) set by the KeyVault extension's
   * `linkOnRenewal`: S-channel follows it unconditionally to the newer certificate [SF-MGMT].
   */
  renewedBy?: string;
}

/** One version of a vault certificate's secret, as the vault store hands it to the world. */
export interface VaultSecretVersion {
  readonly vault: string;
  readonly name: string;
  readonly version: string;
  readonly enabled: boolean;
  /** The secret carries the private key (an exportable key policy). */
  readonly hasPrivateKey: boolean;
  readonly certificate: CertFacts;
}

/** Who is reading a vault secret. */
export type VaultCaller =
  /** The compute platform (CRP) fetching `osProfile.secrets`; needs the vault enabled for deployment. */
  | { readonly kind: 'deployment' }
  /** A VM's managed identity, through IMDS: needs secrets get/list (access policy or RBAC role). */
  | { readonly kind: 'identity'; readonly clientId: string };

export type VaultReadFailure =
  'VaultNotFound' | 'SecretNotFound' | 'SecretDisabled' | 'Forbidden' | 'NotEnabledForDeployment';

export type VaultReadResult =
  | { readonly ok: true; readonly secret: VaultSecretVersion }
  | { readonly ok: false; readonly failure: VaultReadFailure; readonly message: string };

/** A user-assigned identity as the world needs it. */
export interface IdentityInfo {
  readonly resourceId: string;
  readonly clientId: string;
  readonly principalId: string;
}

/**
 * What the world asks of the Key Vault side of the sandbox (implemented over the vault store, or by a
 * fake in unit tests). Reads are in-process, never HTTP: the simulated VMs are not SDK clients.
 */
export interface VaultPort {
  /** Reads a secret version (latest when `version` is undefined) on behalf of `caller`. */
  readSecret(vault: string, name: string, version: string | undefined, caller: VaultCaller): VaultReadResult;
  /** Resolves a user-assigned identity by its ARM resource id (case-insensitive); undefined when absent. */
  identity(resourceId: string): IdentityInfo | undefined;
}

/** `https://<vault>.vault.azure.net/secrets/<name>[/<version>]` split into its parts. */
export interface SecretUrl {
  readonly vault: string;
  readonly name: string;
  readonly version: string | undefined;
}

const SECRET_URL =
  /^https:\/\/([a-z0-9-]+)\.vault\.azure\.net(?::443)?\/secrets\/([A-Za-z0-9-]+)(?:\/([A-Za-z0-9]+))?\/?$/i;

/** Parses a Key Vault secret URL; undefined when it is not one (for example a `/certificates/` URL). */
export function parseSecretUrl(url: string): SecretUrl | undefined {
  const match = SECRET_URL.exec(url.trim());
  if (match === null) return undefined;
  const [, vault, name, version] = match;
  if (vault === undefined || name === undefined) return undefined;
  return { vault: vault.toLowerCase(), name, version: version === '' ? undefined : version };
}

export function isTimeValid(cert: CertFacts, now: Date): boolean {
  return cert.notBefore.getTime() <= now.getTime() && now.getTime() < cert.notAfter.getTime();
}

export function isExpired(cert: CertFacts, now: Date): boolean {
  return now.getTime() >= cert.notAfter.getTime();
}
