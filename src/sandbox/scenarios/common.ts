// What every scenario shares: the demo's names (kept equal to deploy/samples/*.yaml), the seeding
// context, and the simulated PKI (a root and two issuing intermediates).
import type { AzureWorld } from '../azure/world.js';
import type { CertificatePolicyWire } from '../azure/keyvault/model.js';
import type { SimWorld } from '../world/world.js';

/**
 * The subscription of deploy/samples/*.yaml. Start the Azure emulator with this `subscriptionId` so the
 * samples apply unchanged; scenarios seed into whatever subscription the emulator has.
 */
export const DEMO_SUBSCRIPTION_ID = '5f2d7c3a-8e41-4b6a-9d0e-1c2b3a4f5e60';
export const DEMO_RESOURCE_GROUP = 'kvr-demo-rg';
export const DEMO_LOCATION = 'westeurope';
export const DEMO_VAULT = 'kvr-demo-kv';
export const DEMO_VAULT_ISSUER = 'kvr-demo-issuer';

export interface ScenarioContext {
  readonly azure: AzureWorld;
  readonly sim: SimWorld;
  /** Object id of the operator's service principal: granted certificate and secret reads on the vault. */
  readonly operatorObjectId?: string;
}

export interface ScenarioResult {
  /** `KVROLLOVER_SANDBOX_*` variables naming the seeded resources (design §2 `--env-out`). */
  readonly env: Readonly<Record<string, string>>;
  /** One line per seeded resource, for the CLI's summary. */
  readonly summary: readonly string[];
}

export interface Scenario {
  readonly name: string;
  readonly description: string;
  seed(ctx: ScenarioContext): Promise<ScenarioResult>;
}

export interface DemoPki {
  readonly rootId: string;
  /** The intermediate that issues the vault's certificates (the issuer to pin). */
  readonly issuingCaId: string;
  readonly issuingThumbprint: string;
  /** A second intermediate under the same root, for "renewal from an undeclared issuer" controls. */
  readonly spareCaId: string;
  readonly spareThumbprint: string;
}

/** Resource group, vault (access policies for the operator) and the PKI with the vault's issuer object. */
export async function seedVaultAndPki(ctx: ScenarioContext): Promise<DemoPki> {
  const { azure } = ctx;
  if (azure.getResourceGroup(DEMO_RESOURCE_GROUP) === undefined)
    azure.addResourceGroup(DEMO_RESOURCE_GROUP, DEMO_LOCATION);
  if (azure.vaults.getVault(DEMO_VAULT) === undefined) {
    azure.vaults.addVault({
      name: DEMO_VAULT,
      subscriptionId: azure.subscriptionId,
      resourceGroup: DEMO_RESOURCE_GROUP,
      location: DEMO_LOCATION,
      tenantId: azure.tenantId,
      enableRbacAuthorization: false,
      accessPolicies:
        ctx.operatorObjectId === undefined
          ? []
          : [
              {
                tenantId: azure.tenantId,
                objectId: ctx.operatorObjectId,
                permissions: {
                  certificates: ['get', 'list', 'update', 'create', 'import'],
                  secrets: ['get', 'list'],
                },
              },
            ],
    });
  }
  const root = await azure.cas.createRoot('Contoso Sandbox Root CA');
  const issuing = await azure.cas.createIntermediate(root.id, 'Contoso Sandbox Issuing CA 1');
  const spare = await azure.cas.createIntermediate(root.id, 'Contoso Sandbox Issuing CA 2');
  azure.certificates.setIssuer(DEMO_VAULT, DEMO_VAULT_ISSUER, issuing.id);
  return {
    rootId: root.id,
    issuingCaId: issuing.id,
    issuingThumbprint: issuing.thumbprint,
    spareCaId: spare.id,
    spareThumbprint: spare.thumbprint,
  };
}

/** A CA-issued, auto-renewing PKCS#12 certificate policy [KV-SPEC] (the SF-MGMT enrollment example's shape). */
export function certificatePolicy(commonName: string): CertificatePolicyWire {
  return {
    key_props: { exportable: true, kty: 'RSA', key_size: 2048, reuse_key: false },
    secret_props: { contentType: 'application/x-pkcs12' },
    x509_props: {
      subject: `CN=${commonName}`,
      sans: { dns_names: [commonName] },
      ekus: ['1.3.6.1.5.5.7.3.1', '1.3.6.1.5.5.7.3.2'],
      validity_months: 12,
    },
    lifetime_actions: [{ trigger: { lifetime_percentage: 80 }, action: { action_type: 'AutoRenew' } }],
    issuer: { name: DEMO_VAULT_ISSUER },
  };
}

export function vaultResourceIdOf(azure: AzureWorld): string {
  return `/subscriptions/${azure.subscriptionId}/resourceGroups/${DEMO_RESOURCE_GROUP}/providers/Microsoft.KeyVault/vaults/${DEMO_VAULT}`;
}

export function identityResourceIdOf(azure: AzureWorld, name: string): string {
  return `/subscriptions/${azure.subscriptionId}/resourceGroups/${DEMO_RESOURCE_GROUP}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/${name}`;
}
