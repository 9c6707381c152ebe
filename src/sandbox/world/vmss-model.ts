// The parts of the Microsoft.Compute/virtualMachineScaleSets REST model the world interprets, in the
// REST (properties-nested) JSON shape. Anything else a client sends is kept and echoed unchanged.

export interface SubResource {
  id?: string;
}

export interface VaultCertificate {
  certificateUrl?: string;
  certificateStore?: string;
}

export interface VaultSecretGroup {
  sourceVault?: SubResource;
  vaultCertificates?: VaultCertificate[];
}

export interface ExtensionProperties {
  publisher?: string;
  type?: string;
  typeHandlerVersion?: string;
  autoUpgradeMinorVersion?: boolean;
  enableAutomaticUpgrade?: boolean;
  forceUpdateTag?: string;
  settings?: unknown;
  protectedSettings?: unknown;
  provisionAfterExtensions?: string[];
  provisioningState?: string;
  [key: string]: unknown;
}

export interface ScaleSetExtension {
  name?: string;
  id?: string;
  type?: string;
  properties?: ExtensionProperties;
}

export interface UserAssignedIdentityValue {
  principalId?: string;
  clientId?: string;
}

export interface ResourceIdentity {
  type?: string;
  principalId?: string;
  tenantId?: string;
  userAssignedIdentities?: Record<string, UserAssignedIdentityValue | null>;
}

export interface VirtualMachineProfile {
  osProfile?: { secrets?: VaultSecretGroup[]; computerNamePrefix?: string; [key: string]: unknown };
  extensionProfile?: { extensions?: ScaleSetExtension[]; [key: string]: unknown };
  [key: string]: unknown;
}

export interface ScaleSetProperties {
  upgradePolicy?: { mode?: string; [key: string]: unknown };
  virtualMachineProfile?: VirtualMachineProfile;
  provisioningState?: string;
  uniqueId?: string;
  timeCreated?: string;
  [key: string]: unknown;
}

export interface ScaleSetResource {
  id?: string;
  name?: string;
  type?: string;
  location?: string;
  tags?: Record<string, string>;
  sku?: { name?: string; tier?: string; capacity?: number };
  identity?: ResourceIdentity;
  zones?: string[];
  etag?: string;
  properties?: ScaleSetProperties;
  [key: string]: unknown;
}

export const SERVICE_FABRIC_EXTENSION_TYPE = 'ServiceFabricNode';
export const SERVICE_FABRIC_EXTENSION_PUBLISHER = 'Microsoft.Azure.ServiceFabric';

export function scaleSetExtensions(resource: ScaleSetResource): ScaleSetExtension[] {
  return resource.properties?.virtualMachineProfile?.extensionProfile?.extensions ?? [];
}

export function scaleSetSecrets(resource: ScaleSetResource): VaultSecretGroup[] {
  return resource.properties?.virtualMachineProfile?.osProfile?.secrets ?? [];
}

export function isServiceFabricExtension(ext: ScaleSetExtension): boolean {
  return ext.properties?.type === SERVICE_FABRIC_EXTENSION_TYPE;
}

export function isKeyVaultExtension(ext: ScaleSetExtension): boolean {
  const type = ext.properties?.type;
  return type === 'KeyVaultForWindows' || type === 'KeyVaultForLinux';
}

export function upgradeMode(resource: ScaleSetResource): string {
  return resource.properties?.upgradePolicy?.mode ?? 'Manual';
}

/** Resource ids of the user-assigned identities (keys as given, case preserved). */
export function userAssignedIdentityIds(identity: ResourceIdentity | undefined): string[] {
  if (identity === undefined) return [];
  if (!/UserAssigned/i.test(identity.type ?? '')) return [];
  return Object.entries(identity.userAssignedIdentities ?? {})
    .filter(([, value]) => value !== null)
    .map(([id]) => id);
}
