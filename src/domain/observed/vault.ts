// Key Vault observations. Bodies as the data plane returns them [KV-SPEC]: the versions list
// `{value:[{id, x5t, attributes:{enabled, nbf, exp, created, updated}}]}`, the certificate bundle
// `{id, kid, sid, x5t, cer, attributes, policy}`, plus the issuer chain PEM. Management plane
// `GET Microsoft.KeyVault/vaults` for access policies / RBAC [SF-MGMT][KV-RBAC] and
// `GET userAssignedIdentities` for the identity.
import {
  directIssuerThumbprint,
  parseCertificate,
  parsePemChain,
  thumbprintFromX5t,
  type CertificateInfo,
} from '../x509.js';
import { arr, bool, epochSeconds, field, num, str, type Json } from './json.js';
import { parseKeyVaultId } from './keyvault-url.js';
import type {
  IdentityObservation,
  OtherCertificateObservation,
  VaultAccessObservation,
  VaultCertificateObservation,
  VaultPolicyObservation,
  VaultVersionObservation,
} from './types.js';

/** What was read for one version: its certificate bundle and (optionally) the issuer chain PEM. */
export interface VaultVersionBodies {
  readonly bundle?: Json;
  readonly chainPem?: string;
}

function safeX5t(x5t: string | undefined): string | undefined {
  if (x5t === undefined) return undefined;
  try {
    return thumbprintFromX5t(x5t);
  } catch {
    return undefined;
  }
}

function safeParse(cer: string | undefined): CertificateInfo | undefined {
  if (cer === undefined) return undefined;
  try {
    return parseCertificate(cer);
  } catch {
    return undefined;
  }
}

function safeChain(pem: string | undefined): CertificateInfo[] {
  if (pem === undefined) return [];
  try {
    return parsePemChain(pem);
  } catch {
    return [];
  }
}

function versionOf(id: string | undefined): string | undefined {
  return id === undefined ? undefined : parseKeyVaultId(id)?.version;
}

function secretIdFor(certificateId: string, bundle: Json): string {
  const sid = str(field(bundle, 'sid'));
  if (sid !== undefined) return sid;
  // Same name and version in the secrets collection [KV-CERT].
  return certificateId.replace(/\/certificates\//i, '/secrets/');
}

/** Reads a certificate policy in the data-plane wire form (`x509_props`, `lifetime_actions`…) [KV-SPEC]. */
export function parseVaultPolicy(policy: Json): VaultPolicyObservation | undefined {
  if (policy === undefined || policy === null) return undefined;
  const actions = arr(field(policy, 'lifetime_actions'));
  const autoRenew = actions.find(
    (a) => str(field(a, 'action', 'action_type'))?.toLowerCase() === 'autorenew',
  );
  return {
    issuerName: str(field(policy, 'issuer', 'name')),
    subject: str(field(policy, 'x509_props', 'subject')),
    dnsNames: arr(field(policy, 'x509_props', 'sans', 'dns_names')).flatMap((d) =>
      typeof d === 'string' ? [d] : [],
    ),
    validityInMonths: num(field(policy, 'x509_props', 'validity_months')),
    autoRenew: autoRenew !== undefined,
    lifetimePercentage: num(field(autoRenew, 'trigger', 'lifetime_percentage')),
    daysBeforeExpiry: num(field(autoRenew, 'trigger', 'days_before_expiry')),
    contentType: str(field(policy, 'secret_props', 'contentType')),
    keyType: str(field(policy, 'key_props', 'kty')),
    keySize: num(field(policy, 'key_props', 'key_size')),
    reuseKey: bool(field(policy, 'key_props', 'reuse_key')),
    exportable: bool(field(policy, 'key_props', 'exportable')),
    ekus: arr(field(policy, 'x509_props', 'ekus')).flatMap((e) => (typeof e === 'string' ? [e] : [])),
  };
}

/**
 * One version from its list entry and, when read, its bundle and chain. The bundle's `cer` is the source of
 * truth for CN, SANs and dates; the list entry's `x5t`/`nbf`/`exp` fill in when the bundle was not read.
 */
export function parseVaultVersion(listEntry: Json, bodies: VaultVersionBodies = {}): VaultVersionObservation {
  const certificateId = str(field(bodies.bundle, 'id')) ?? str(field(listEntry, 'id')) ?? '';
  const attrs = field(bodies.bundle, 'attributes') ?? field(listEntry, 'attributes');
  const cert = safeParse(str(field(bodies.bundle, 'cer')));
  const chain = safeChain(bodies.chainPem);
  const issuer =
    cert === undefined ? undefined : cert.selfSigned ? cert.thumbprint : directIssuerThumbprint(cert, chain);
  return {
    version: versionOf(certificateId) ?? '',
    certificateId,
    secretId: secretIdFor(certificateId, bodies.bundle),
    thumbprint:
      cert?.thumbprint ?? safeX5t(str(field(bodies.bundle, 'x5t'))) ?? safeX5t(str(field(listEntry, 'x5t'))),
    issuerThumbprint: issuer,
    notBefore: cert?.notBefore ?? epochSeconds(field(attrs, 'nbf')),
    notAfter: cert?.notAfter ?? epochSeconds(field(attrs, 'exp')),
    created: epochSeconds(field(attrs, 'created')),
    // `enabled` changes after issuance (quarantine disables a version): the versions list is re-read every
    // poll while a version's bundle is read once and cached, so the list entry is the fresher truth.
    enabled: bool(field(listEntry, 'attributes', 'enabled')) ?? bool(field(attrs, 'enabled')) ?? true,
    commonName: cert?.commonName,
    dnsNames: cert?.dnsNames ?? [],
    selfSigned: cert?.selfSigned ?? false,
  };
}

function byCreation(a: VaultVersionObservation, b: VaultVersionObservation): number {
  const ca = a.created?.getTime() ?? a.notBefore?.getTime() ?? 0;
  const cb = b.created?.getTime() ?? b.notBefore?.getTime() ?? 0;
  return ca - cb || a.version.localeCompare(b.version);
}

/**
 * The vault certificate: `versionsBody` is the "get certificate versions" list, `bodies` maps a version id
 * (case-insensitive) to what was read for it. The policy is taken from the newest bundle that carries one
 * (the vault has one policy for all versions [KV-CERT]).
 */
export function parseVaultCertificate(
  name: string,
  versionsBody: Json,
  bodies: Readonly<Record<string, VaultVersionBodies>> = {},
  options: { pendingOperation?: boolean } = {},
): VaultCertificateObservation {
  const lookup = new Map(Object.entries(bodies).map(([k, v]) => [k.toLowerCase(), v]));
  const versions = arr(field(versionsBody, 'value'))
    .map((entry) => {
      const version = versionOf(str(field(entry, 'id')))?.toLowerCase();
      return parseVaultVersion(entry, version === undefined ? {} : lookup.get(version));
    })
    .filter((v) => v.version !== '')
    .sort(byCreation);
  let policy: VaultPolicyObservation | undefined;
  for (const v of [...versions].reverse()) {
    policy = parseVaultPolicy(field(lookup.get(v.version.toLowerCase())?.bundle, 'policy'));
    if (policy !== undefined) break;
  }
  return { name, versions, policy, pendingOperation: options.pendingOperation ?? false };
}

/** Role definition ids that grant reading secret contents under the RBAC model [KV-RBAC]. */
export const SECRET_READER_ROLE_IDS = [
  '4633458b-17de-408a-b874-0445c86b69e6', // Key Vault Secrets User
  'b86a8fe4-44ce-4948-aee5-eccb2c155cd7', // Key Vault Secrets Officer
  '00482a5a-887f-4fb3-b363-3b7fe8e74483', // Key Vault Administrator
] as const;

/**
 * Whether `principalId` may get and list secrets. Access-policy model: an entry for the principal with
 * secrets `get` and `list` (or `all`). RBAC model (`enableRbacAuthorization`): judged from the role
 * assignments body (`GET {vault}/providers/Microsoft.Authorization/roleAssignments`) when given, else unknown.
 */
export function parseVaultAccess(
  vaultBody: Json,
  principalId: string | undefined,
  roleAssignmentsBody?: Json,
): VaultAccessObservation {
  const props = field(vaultBody, 'properties');
  const rbac = bool(field(props, 'enableRbacAuthorization')) ?? false;
  let canRead: boolean | undefined;
  if (principalId === undefined) {
    canRead = undefined;
  } else if (!rbac) {
    const pid = principalId.toLowerCase();
    canRead = arr(field(props, 'accessPolicies')).some((p) => {
      if (str(field(p, 'objectId'))?.toLowerCase() !== pid) return false;
      const perms = new Set(
        arr(field(p, 'permissions', 'secrets')).flatMap((s) =>
          typeof s === 'string' ? [s.toLowerCase()] : [],
        ),
      );
      return perms.has('all') || (perms.has('get') && perms.has('list'));
    });
  } else if (roleAssignmentsBody !== undefined) {
    const pid = principalId.toLowerCase();
    canRead = arr(field(roleAssignmentsBody, 'value')).some((ra) => {
      const roleId = str(field(ra, 'properties', 'roleDefinitionId'))?.toLowerCase() ?? '';
      return (
        str(field(ra, 'properties', 'principalId'))?.toLowerCase() === pid &&
        SECRET_READER_ROLE_IDS.some((id) => roleId.endsWith(id))
      );
    });
  }
  return {
    vaultId: str(field(vaultBody, 'id')),
    model: rbac ? 'Rbac' : 'AccessPolicy',
    identityCanReadSecrets: canRead,
    tenantId: str(field(props, 'tenantId')),
  };
}

export function parseIdentity(body: Json, resourceId?: string): IdentityObservation {
  return {
    resourceId: str(field(body, 'id')) ?? resourceId ?? '',
    principalId: str(field(body, 'properties', 'principalId')),
    clientId: str(field(body, 'properties', 'clientId')),
    tenantId: str(field(body, 'properties', 'tenantId')),
  };
}

/** Another vault certificate on the same nodes, from its bundle (for SAN overlap and presentation order). */
export function parseOtherCertificate(name: string, bundle: Json): OtherCertificateObservation {
  const v = parseVaultVersion(undefined, { bundle });
  return {
    name,
    thumbprint: v.thumbprint,
    dnsNames: v.dnsNames,
    notBefore: v.notBefore,
    notAfter: v.notAfter,
  };
}
