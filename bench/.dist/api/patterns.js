// Regular expressions used by the schema. Each must mean the same in ECMAScript (our validator) and in
// RE2 (the API server evaluates OpenAPI `pattern` and CEL `matches()` with Go's regexp): no look-around,
// no back-references, ASCII classes only.
/** An Azure GUID (subscription id, client id). */
export const GUID = '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';
/** A resource group name: 1–90 of letters, digits, `-_.()`, not ending in `.` (ARM naming rules). */
export const RESOURCE_GROUP = '^[-A-Za-z0-9_.()]{0,89}[-A-Za-z0-9_()]$';
/** A Kubernetes object name (DNS subdomain, RFC 1123). */
export const DNS_SUBDOMAIN = '^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$';
/** An ARM resource name segment as used for clusters, scale sets and node types. */
export const ARM_NAME = '^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9_])?$';
/** A Key Vault name: 3–24 letters, digits and hyphens, starting with a letter, not ending with a hyphen. */
const VAULT_NAME = '[a-zA-Z][-a-zA-Z0-9]{1,22}[a-zA-Z0-9]';
/** The DNS suffixes of Key Vault in the public and sovereign clouds. */
const VAULT_SUFFIX = 'vault\\.(azure\\.net|azure\\.cn|usgovcloudapi\\.net|microsoftazure\\.de)';
/** A vault, by name (`kvr-demo-kv`) or by URI (`https://kvr-demo-kv.vault.azure.net`). */
export const VAULT = `^(${VAULT_NAME}|https://${VAULT_NAME}\\.${VAULT_SUFFIX}/?)$`;
/** A Key Vault object (certificate, secret) name. */
export const VAULT_OBJECT_NAME = '^[0-9a-zA-Z-]{1,127}$';
/**
 * A Key Vault secret URL, with or without a version. The schema accepts the versioned form here so that a
 * separate rule can say precisely what is wrong with it (see VERSIONED_SECRET_SUFFIX).
 */
export const SECRET_URL = `^https://${VAULT_NAME}\\.${VAULT_SUFFIX}/secrets/[0-9a-zA-Z-]{1,127}(/[0-9a-fA-F]{32})?/?$`;
/** Matches (searching, as CEL `matches()` does) the trailing version segment of a versioned secret URL. */
export const VERSIONED_SECRET_SUFFIX = '/secrets/[0-9a-zA-Z-]+/[0-9a-fA-F]{32}/?$';
/** A SHA-1 thumbprint in hex, as Azure and Service Fabric print it. */
export const THUMBPRINT = '^[0-9A-Fa-f]{40}$';
/**
 * A bare common name: no `CN=` prefix and no other RDNs (azure.md hazard 12; Service Fabric compares the
 * declared name with the subject's CN and rejects `CN=` prefixes and extra RDNs).
 */
export const COMMON_NAME = '^[^=,+;"<>]+$';
/** The ARM id of a user-assigned managed identity. */
export const USER_ASSIGNED_IDENTITY_ID = '^/subscriptions/[0-9a-fA-F-]{36}/resource[Gg]roups/[-A-Za-z0-9_.()]{1,90}/providers/[Mm]icrosoft\\.[Mm]anaged[Ii]dentity/user[Aa]ssigned[Ii]dentities/[A-Za-z0-9][-A-Za-z0-9_]{2,127}$';
/** A duration in one unit: days, hours or minutes (`30d`, `12h`, `90m`). */
export const DURATION = '^[0-9]{1,5}[dhm]$';
/** A wall-clock time of day, 24-hour (`02:00`). */
export const TIME_OF_DAY = '^([01][0-9]|2[0-3]):[0-5][0-9]$';
/** An IANA time zone name (`UTC`, `Europe/Paris`, `Etc/GMT+5`). */
export const TIME_ZONE = '^[A-Za-z][A-Za-z0-9_+-]*(/[A-Za-z0-9_+-]+)*$';
/** An X.509 object identifier (EKU). */
export const OID = '^[0-2](\\.(0|[1-9][0-9]*))+$';
/** A `metav1.Condition` reason. */
export const CONDITION_REASON = '^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$';
/** A `metav1.Condition` type (as controller-gen emits it for metav1.Condition). */
export const CONDITION_TYPE = '^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])$';
/** A VM extension type handler version (`3.0`). */
export const HANDLER_VERSION = '^[0-9]+\\.[0-9]+$';
/** A Batch account name: 3–24 lowercase letters and digits. */
export const BATCH_ACCOUNT = '^[a-z0-9]{3,24}$';
/** A Batch pool id: letters, digits, hyphens and underscores, up to 64. */
export const BATCH_POOL = '^[A-Za-z0-9_-]{1,64}$';
/** Where the KeyVault extension installs a certificate: a Windows store location or a Linux directory. */
export const STORE_LOCATION = '^(LocalMachine|CurrentUser|/[^\\x00]*)$';
//# sourceMappingURL=patterns.js.map