// Key Vault objects as the sandbox keeps them. Policies are kept in the REST wire shape [KV-SPEC]
// (`key_props`, `secret_props`, `x509_props`, `lifetime_actions`, `issuer`) because that is what the
// service receives and serves back.

export interface KeyProps {
  exportable?: boolean;
  kty?: 'RSA' | 'RSA-HSM' | 'EC' | 'EC-HSM';
  key_size?: number;
  reuse_key?: boolean;
  crv?: 'P-256' | 'P-384' | 'P-521' | 'P-256K';
}

export interface LifetimeActionWire {
  trigger: { lifetime_percentage?: number; days_before_expiry?: number };
  action: { action_type: 'AutoRenew' | 'EmailContacts' };
}

export interface CertificatePolicyWire {
  id?: string;
  key_props?: KeyProps;
  secret_props?: { contentType?: string };
  x509_props?: {
    subject?: string;
    sans?: {
      emails?: string[];
      dns_names?: string[];
      upns?: string[];
      ipAddresses?: string[];
      uris?: string[];
    };
    ekus?: string[];
    key_usage?: string[];
    validity_months?: number;
  };
  lifetime_actions?: LifetimeActionWire[];
  issuer?: { name?: string; cty?: string; cert_transparency?: boolean };
  attributes?: { enabled?: boolean; created?: number; updated?: number };
}

export const CONTENT_TYPE_PFX = 'application/x-pkcs12';
export const CONTENT_TYPE_PEM = 'application/x-pem-file';

/** One version of a certificate, with its key and secret (Key Vault creates all three together [KV-CERT]). */
export interface CertificateVersionRecord {
  readonly version: string;
  readonly der: Buffer;
  /** Issuer chain above the leaf, nearest issuer first (public certificates only). */
  readonly chain: readonly Buffer[];
  /** PKCS#8 DER of the private key. Never served except inside the secret value; never logged. */
  readonly keyPkcs8: Buffer;
  readonly keyType: 'RSA' | 'EC';
  readonly exportable: boolean;
  /** SHA-1 of `der`, upper-case hex (the form Service Fabric declarations use). */
  readonly thumbprint: string;
  /** SHA-1 of `der`, base64url without padding (Key Vault's `x5t`). */
  readonly x5t: string;
  readonly subject: string;
  readonly dnsNames: readonly string[];
  /** SHA-1 thumbprint (upper-case hex) of the direct issuer; equals `thumbprint` for self-signed. */
  readonly issuerThumbprint: string;
  readonly notBefore: Date;
  readonly notAfter: Date;
  /** The secret's content type at the time this version was made. */
  readonly contentType: string;
  /** Vault issuer name that produced it (`Self`, `Unknown` for imports, or a named issuer). */
  readonly issuerName: string;
  enabled: boolean;
  readonly created: Date;
  updated: Date;
  tags: Record<string, string>;
}

export interface PendingOperationRecord {
  /** Operation request id. */
  readonly requestId: string;
  readonly issuerName: string;
  /** PKCS#10 request for the new key; empty until the key is chosen. */
  csr: Buffer;
  readonly startedAt: Date;
  /** Virtual time at which the issuer answers. */
  readonly completeAt: Date;
  cancellationRequested: boolean;
  status: 'inProgress' | 'completed' | 'failed' | 'cancelled';
  statusDetails?: string;
  error?: { code: string; message: string };
  /** Version created when it completed. */
  targetVersion?: string;
}

export interface CertificateRecord {
  readonly name: string;
  policy: CertificatePolicyWire;
  policyCreated: Date;
  policyUpdated: Date;
  /** Creation order; the last one is the current (latest) version [KV-OBJ]. */
  readonly versions: CertificateVersionRecord[];
  pending?: PendingOperationRecord;
  tags: Record<string, string>;
  /** Virtual time of the last automatic renewal request, so a trigger fires once per version. */
  autoRenewedFromVersion?: string;
}

export interface AccessPolicyEntry {
  tenantId: string;
  objectId: string;
  applicationId?: string;
  permissions: {
    keys?: string[];
    secrets?: string[];
    certificates?: string[];
    storage?: string[];
  };
}

/** A vault issuer object [KV-CREATE]: a name a policy refers to, bound to one simulated CA. */
export interface VaultIssuerRecord {
  readonly name: string;
  provider: string;
  /** CA registry id of the CA that signs for this issuer; switchable by scenarios. */
  caId: string;
  /** When set, the issuer rejects requests: pending operations end `failed` with this error. */
  rejectWith?: { code: string; message: string };
}

export interface VaultRecord {
  readonly name: string;
  readonly subscriptionId: string;
  readonly resourceGroup: string;
  readonly location: string;
  readonly tenantId: string;
  enableRbacAuthorization: boolean;
  /** Lets Compute retrieve secrets for VMs (VMSS `osProfile.secrets`); default true in the sandbox. */
  enabledForDeployment: boolean;
  accessPolicies: AccessPolicyEntry[];
  readonly certificates: Map<string, CertificateRecord>;
  /** Vault issuer objects by name (case-insensitive key) → CA id in the CA registry. */
  readonly issuers: Map<string, VaultIssuerRecord>;
  tags: Record<string, string>;
}
