// `kv-rollover plan -o text`: the plan for a person, one line per step, then the hazards.
import { StepState } from '../names.js';
import type { Change } from './changes.js';
import type { Plan } from './types.js';

const MARK: Record<string, string> = {
  [StepState.Done]: '[x]',
  [StepState.Current]: '[>]',
  [StepState.Pending]: '[ ]',
  [StepState.Blocked]: '[!]',
};

/** One line per change, naming its target; never includes secret material (changes carry none). */
export function describeChange(change: Change): string {
  switch (change.op) {
    case 'AddScaleSetSecret':
      return `vmss/${change.vmss}: add secret ${change.certificateUrl} (store ${change.certificateStore})`;
    case 'RemoveScaleSetSecret':
      return `vmss/${change.vmss}: remove secret(s) ${change.certificateUrls.join(', ')}`;
    case 'PatchCluster':
      return `cluster: certificate thumbprint ${change.certificate.thumbprint}${
        change.certificate.thumbprintSecondary
          ? `, secondary ${change.certificate.thumbprintSecondary}`
          : ', no secondary'
      }`;
    case 'SetClusterCommonNames':
      return `cluster: certificateCommonNames ${change.certificateCommonNames.commonNames
        .map(
          (c) =>
            `${c.certificateCommonName} (issuers ${c.certificateIssuerThumbprint || 'any trusted root'})`,
        )
        .join(', ')}${change.removeCertificate ? ', certificate removed' : ''}`;
    case 'InstallKeyVaultExtension':
      return `vmss/${change.vmss}: identity, ${change.type} ${change.typeHandlerVersion} extension ${change.extensionName} observing ${change.settings.secretsManagementSettings.observedCertificates
        .map((o) => o.url)
        .join(
          ', ',
        )}, ${change.serviceFabricExtension.name} after it with commonNames ${change.serviceFabricExtension.certificate.commonNames.join(', ')}${
        change.removeSecretUrls.length > 0 ? `, remove ${change.removeSecretUrls.join(', ')}` : ''
      }`;
    case 'RetryScaleSetUpdate':
      return `vmss/${change.vmss}: retry the failed model update`;
    case 'SetServiceFabricExtensionCertificate':
      return `vmss/${change.vmss}: ${change.extensionName} certificate thumbprint ${change.certificate.thumbprint}${
        change.certificateSecondary === null
          ? ', no secondary'
          : `, secondary ${change.certificateSecondary.thumbprint}`
      }`;
    case 'GrantVaultAccess':
      return `vault/${change.vault}: grant ${change.principalId} secrets get/list (${change.model})`;
    case 'DisableVaultVersion':
      return `vault/${change.vault}: disable ${change.certificateName}/${change.version} (quarantine)`;
    case 'CreateVaultCertificate':
      return `vault/${change.vault}: create certificate ${change.certificateName}`;
    case 'UpdateVaultCertificatePolicy':
      return `vault/${change.vault}: update policy of ${change.certificateName} (${change.drift.join(', ')})`;
  }
}

export function renderPlanText(plan: Plan): string {
  const lines = [
    `${plan.kind} ${plan.name} (mode ${plan.mode}): phase ${plan.phase}, step ${plan.currentStep}`,
  ];
  const { vaultLatest, inUse } = plan.certificates;
  if (vaultLatest)
    lines.push(`  vault latest: ${vaultLatest.thumbprint} notAfter ${vaultLatest.notAfter ?? '?'}`);
  if (inUse) lines.push(`  in use:       ${inUse.thumbprint} notAfter ${inUse.notAfter ?? '?'}`);
  lines.push('Steps:');
  for (const step of plan.steps) {
    lines.push(
      `  ${MARK[step.state] ?? '[?]'} ${step.name.padEnd(27)} ${step.state.padEnd(8)} ${step.reason}  ${step.target}`,
    );
    if (step.message) lines.push(`        ${step.message}`);
    for (const change of step.changes) lines.push(`        -> ${describeChange(change)}`);
    for (const change of step.deferredChanges ?? []) lines.push(`        (held) ${describeChange(change)}`);
  }
  lines.push(plan.hazards.length === 0 ? 'Hazards: none' : 'Hazards:');
  for (const h of plan.hazards) lines.push(`  ${h.severity.padEnd(8)} ${h.reason}: ${h.message}`);
  return `${lines.join('\n')}\n`;
}
