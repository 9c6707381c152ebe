// From a planner change and the scale set as observed (raw REST JSON) to the complete lists a PATCH
// sends: a PATCH replaces `osProfile.secrets` and `extensionProfile.extensions` as wholes, so every
// entry the change does not touch is carried over unchanged. Pure.
import type { RestExtension, RestIdentity, RestVaultSecretGroup, ScaleSetPatch } from '../../azure/arm.js';
import { TerminalError } from '../../domain/errors.js';
import { Reason } from '../../domain/names.js';
import type { Change } from '../../domain/plan/index.js';
import { arr, asObject, field, str, type Json } from '../../domain/observed/json.js';

type ScaleSetChange = Extract<
  Change,
  {
    op:
      | 'AddScaleSetSecret'
      | 'RemoveScaleSetSecret'
      | 'InstallKeyVaultExtension'
      | 'SetServiceFabricExtensionCertificate'
      | 'RetryScaleSetUpdate';
  }
>;

function sameUrl(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

function sameId(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

/** `virtualMachineProfile.osProfile.secrets` as REST JSON. */
export function observedSecretGroups(vmss: Json): RestVaultSecretGroup[] {
  const secrets = field(vmss, 'properties', 'virtualMachineProfile', 'osProfile', 'secrets');
  return arr(secrets).flatMap((group) => {
    const id = str(field(group, 'sourceVault', 'id'));
    if (id === undefined) return [];
    const vaultCertificates = arr(field(group, 'vaultCertificates')).flatMap((vc) => {
      const certificateUrl = str(field(vc, 'certificateUrl'));
      if (certificateUrl === undefined) return [];
      const certificateStore = str(field(vc, 'certificateStore'));
      return [{ certificateUrl, ...(certificateStore === undefined ? {} : { certificateStore }) }];
    });
    return [{ sourceVault: { id }, vaultCertificates }];
  });
}

/** `virtualMachineProfile.extensionProfile.extensions` as REST JSON (properties kept whole). */
export function observedExtensions(vmss: Json): RestExtension[] {
  const extensions = field(vmss, 'properties', 'virtualMachineProfile', 'extensionProfile', 'extensions');
  return arr(extensions).flatMap((e) => {
    const name = str(field(e, 'name'));
    const properties = asObject(field(e, 'properties'));
    return name === undefined || properties === undefined ? [] : [{ name, properties: properties }];
  });
}

function withSecret(groups: RestVaultSecretGroup[], change: Extract<Change, { op: 'AddScaleSetSecret' }>) {
  const entry = { certificateUrl: change.certificateUrl, certificateStore: change.certificateStore };
  const present = groups.some((g) =>
    g.vaultCertificates.some((v) => sameUrl(v.certificateUrl, change.certificateUrl)),
  );
  if (present) return groups;
  const index = groups.findIndex((g) => sameId(g.sourceVault.id, change.sourceVaultId));
  if (index < 0)
    return [...groups, { sourceVault: { id: change.sourceVaultId }, vaultCertificates: [entry] }];
  return groups.map((g, i) =>
    i === index ? { ...g, vaultCertificates: [...g.vaultCertificates, entry] } : g,
  );
}

function withoutSecrets(groups: RestVaultSecretGroup[], urls: readonly string[]): RestVaultSecretGroup[] {
  return groups
    .map((g) => ({
      ...g,
      vaultCertificates: g.vaultCertificates.filter((v) => !urls.some((u) => sameUrl(u, v.certificateUrl))),
    }))
    .filter((g) => g.vaultCertificates.length > 0);
}

function withIdentity(vmss: Json, identityResourceId: string): RestIdentity {
  const type = str(field(vmss, 'identity', 'type')) ?? 'None';
  const existing = Object.keys(asObject(field(vmss, 'identity', 'userAssignedIdentities')) ?? {});
  const ids = existing.some((id) => sameId(id, identityResourceId))
    ? existing
    : [...existing, identityResourceId];
  // Keep a system-assigned identity the scale set already has.
  const systemAssigned = /SystemAssigned/i.test(type);
  return {
    type: systemAssigned ? 'SystemAssigned, UserAssigned' : 'UserAssigned',
    userAssignedIdentities: Object.fromEntries(ids.map((id) => [id, {}])),
  };
}

/** Extension settings as an object: scripts sometimes write them as a JSON string. */
function settingsObject(current: unknown): Record<string, unknown> {
  const parsed: unknown = typeof current === 'string' ? JSON.parse(current) : current;
  return asObject(parsed) ?? {};
}

function serviceFabricSettings(
  current: unknown,
  certificate: { readonly commonNames: readonly string[]; readonly x509StoreName: string },
): Record<string, unknown> {
  const { certificateSecondary: _dropped, ...rest } = settingsObject(current);
  return {
    ...rest,
    certificate: { commonNames: [...certificate.commonNames], x509StoreName: certificate.x509StoreName },
  };
}

function withKeyVaultExtension(
  extensions: RestExtension[],
  change: Extract<Change, { op: 'InstallKeyVaultExtension' }>,
): RestExtension[] {
  const keyVault: RestExtension = {
    name: change.extensionName,
    properties: {
      publisher: change.publisher,
      type: change.type,
      typeHandlerVersion: change.typeHandlerVersion,
      autoUpgradeMinorVersion: true,
      settings: change.settings,
    },
  };
  const others = extensions.filter((e) => e.name !== change.extensionName);
  const updated = others.map((e) =>
    e.name === change.serviceFabricExtension.name
      ? {
          name: e.name,
          properties: {
            ...e.properties,
            provisionAfterExtensions: [...change.serviceFabricExtension.provisionAfterExtensions],
            settings: serviceFabricSettings(e.properties.settings, change.serviceFabricExtension.certificate),
          },
        }
      : e,
  );
  return [keyVault, ...updated];
}

/**
 * The extensions list with the Service Fabric extension's `certificate` / `certificateSecondary` replaced
 * [SF-UPD]; every other setting of it (clusterEndpoint, nodeTypeRef, dataPath …) and every other extension
 * unchanged. The planner names an extension it observed; if it is gone, sending the list would silently
 * change nothing, so that is refused.
 */
function withServiceFabricCertificate(
  extensions: RestExtension[],
  change: Extract<Change, { op: 'SetServiceFabricExtensionCertificate' }>,
): RestExtension[] {
  if (!extensions.some((e) => e.name === change.extensionName)) {
    throw new TerminalError(
      `scale set "${change.vmss}" has no extension "${change.extensionName}"; cannot change its certificate`,
      Reason.ResourceNotFound,
    );
  }
  return extensions.map((e) => {
    if (e.name !== change.extensionName) return e;
    const { certificateSecondary: _replaced, ...rest } = settingsObject(e.properties.settings);
    const settings: Record<string, unknown> = {
      ...rest,
      certificate: { ...change.certificate },
      ...(change.certificateSecondary === null
        ? {}
        : { certificateSecondary: { ...change.certificateSecondary } }),
    };
    return { name: e.name, properties: { ...e.properties, settings } };
  });
}

/** The PATCH that carries out one scale-set change on the scale set as observed. */
export function scaleSetPatchFor(change: ScaleSetChange, vmss: Json): ScaleSetPatch {
  const groups = observedSecretGroups(vmss);
  switch (change.op) {
    case 'AddScaleSetSecret':
      return { secrets: withSecret(groups, change) };
    case 'RemoveScaleSetSecret':
      return { secrets: withoutSecrets(groups, change.certificateUrls) };
    case 'InstallKeyVaultExtension':
      return {
        identity: withIdentity(vmss, change.identityResourceId),
        extensions: withKeyVaultExtension(observedExtensions(vmss), change),
        secrets: withoutSecrets(groups, change.removeSecretUrls),
      };
    case 'RetryScaleSetUpdate':
      return { secrets: groups };
    case 'SetServiceFabricExtensionCertificate':
      // Only the extensions list: `osProfile.secrets` stays as it is (not sent, so not replaced).
      return { extensions: withServiceFabricCertificate(observedExtensions(vmss), change) };
  }
}
