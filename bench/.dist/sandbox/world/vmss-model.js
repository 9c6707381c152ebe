// The parts of the Microsoft.Compute/virtualMachineScaleSets REST model the world interprets, in the
// REST (properties-nested) JSON shape. Anything else a client sends is kept and echoed unchanged.
export const SERVICE_FABRIC_EXTENSION_TYPE = 'ServiceFabricNode';
export const SERVICE_FABRIC_EXTENSION_PUBLISHER = 'Microsoft.Azure.ServiceFabric';
export function scaleSetExtensions(resource) {
    return resource.properties?.virtualMachineProfile?.extensionProfile?.extensions ?? [];
}
export function scaleSetSecrets(resource) {
    return resource.properties?.virtualMachineProfile?.osProfile?.secrets ?? [];
}
export function isServiceFabricExtension(ext) {
    return ext.properties?.type === SERVICE_FABRIC_EXTENSION_TYPE;
}
export function isKeyVaultExtension(ext) {
    const type = ext.properties?.type;
    return type === 'KeyVaultForWindows' || type === 'KeyVaultForLinux';
}
export function upgradeMode(resource) {
    return resource.properties?.upgradePolicy?.mode ?? 'Manual';
}
/** Resource ids of the user-assigned identities (keys as given, case preserved). */
export function userAssignedIdentityIds(identity) {
    if (identity === undefined)
        return [];
    if (!/UserAssigned/i.test(identity.type ?? ''))
        return [];
    return Object.entries(identity.userAssignedIdentities ?? {})
        .filter(([, value]) => value !== null)
        .map(([id]) => id);
}
//# sourceMappingURL=vmss-model.js.map