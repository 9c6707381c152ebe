// The Batch steps (design §2, §4): EnsureVaultCertificate (only when a policy is declared) →
// GrantVaultAccess → EnsurePool → VerifyNodes → Steady. Each evaluates the observed world; the first one
// that is not satisfied is current. Mutating decisions about the pool come from the shared assessment.
import { Reason, Step } from '../names.js';
import { SECRET_READER_ROLE_IDS } from '../observed/vault.js';
import { actionable, satisfied, stuck, waiting, } from '../plan/evaluation.js';
import { policyDrift, vaultPolicyRequest } from '../plan/vault-steps.js';
import { eqi, poolExtension, specVaults } from './assessment.js';
import { withRotation } from './pool-body.js';
/**
 * The declared policy with its defaults explicit. Without a commonName the subject must be given (a
 * hazard says so) and the SANs default to what the vault has, so they never count as drift.
 */
export function effectiveBatchPolicy(certificate, observedSans) {
    const policy = certificate.policy;
    if (policy === undefined)
        return undefined;
    const cn = certificate.commonName;
    const subject = policy.subject ?? (cn === undefined ? undefined : `CN=${cn}`);
    if (subject === undefined)
        return undefined;
    return {
        ...policy,
        subject,
        subjectAlternativeNames: policy.subjectAlternativeNames ?? {
            dnsNames: cn === undefined ? [...observedSans] : [cn],
        },
    };
}
function ensureVaultCertificate(w, certificate) {
    const { vault, name } = certificate;
    return {
        name: Step.EnsureVaultCertificate,
        target: `vault/${w.vault.vaultName ?? vault}/certificates/${name}`,
        evaluate: () => {
            const observed = w.vault.observed;
            const policy = effectiveBatchPolicy(certificate, observed?.policy?.dnsNames ?? []);
            if (policy === undefined || observed === undefined)
                return satisfied();
            if (observed.pendingOperation) {
                return waiting(Reason.WaitingForVaultOperation, `a create or renew operation on ${name} is pending in the vault`);
            }
            if (observed.versions.length === 0) {
                return actionable([
                    {
                        op: 'CreateVaultCertificate',
                        vault,
                        certificateName: name,
                        policy: vaultPolicyRequest(policy, certificate.commonName ?? ''),
                    },
                ], `create certificate ${name} in vault ${w.vault.vaultName ?? vault} with the declared policy`);
            }
            // The Service Fabric planner's drift rules read only `spec.certificate` and `observed.vault`; the
            // policy passed here already has its defaults explicit, so they hold for Batch unchanged.
            const drift = policyDrift({
                spec: { certificate: { ...certificate, commonName: certificate.commonName ?? '', policy } },
                observed: { vault: observed },
            });
            if (drift.length === 0)
                return satisfied();
            return actionable([
                {
                    op: 'UpdateVaultCertificatePolicy',
                    vault,
                    certificateName: name,
                    // The SDK's policy shape (lifetimeActions, curve…): the API shape would be dropped silently.
                    policy: vaultPolicyRequest(policy, certificate.commonName ?? ''),
                    drift,
                },
            ], `the vault policy of ${name} differs from the spec: ${drift.join(', ')}`);
        },
    };
}
function grantVaultAccess(w) {
    const vaults = specVaults(w.spec);
    return {
        name: Step.GrantVaultAccess,
        target: vaults.map((v) => `vault/${v}`).join(','),
        evaluate: () => {
            const changes = [];
            const granted = [];
            const missing = [];
            const unjudged = [];
            for (const vault of vaults) {
                const access = w.observed.access[vault];
                if (access === undefined || access.identityCanReadSecrets === true)
                    continue;
                if (access.identityCanReadSecrets === undefined) {
                    unjudged.push(`${vault} (${access.model})`);
                    continue;
                }
                if (!w.spec.identity.grantVaultAccess) {
                    missing.push(vault);
                    continue;
                }
                const principalId = w.observed.identity?.principalId;
                if (principalId === undefined) {
                    return stuck(Reason.ResourceNotFound, `identity ${w.spec.identity.resourceId} was not found (no principalId)`);
                }
                granted.push(vault);
                changes.push({
                    op: 'GrantVaultAccess',
                    vault,
                    vaultId: access.vaultId,
                    model: access.model,
                    principalId,
                    tenantId: access.tenantId ?? w.observed.identity?.tenantId,
                    secretPermissions: ['get', 'list'],
                    roleDefinitionId: SECRET_READER_ROLE_IDS[0],
                });
            }
            if (missing.length > 0) {
                // VaultAccessMissing (blocking) explains it; nothing may be changed.
                return actionable([], `the identity may not get/list secrets of ${missing.join(', ')} and grantVaultAccess is false`);
            }
            if (changes.length > 0) {
                return actionable(changes, `grant the identity get/list on the secrets of ${granted.join(', ')}`);
            }
            return unjudged.length > 0
                ? satisfied(`cannot judge the permissions of the identity on ${unjudged.join(', ')}; assumed granted`)
                : satisfied();
        },
    };
}
function ensurePool(w) {
    const poolName = w.spec.pool.name;
    return {
        name: Step.EnsurePool,
        target: `batchAccount/${w.spec.batchAccount}/pools/${poolName}`,
        evaluate: () => {
            const a = w.assessment;
            const pool = a.pool;
            if (pool === undefined) {
                const body = 
                // The spec's own body wins; else the pool kept by a recreation. Either way the identity and
                // extension are the current spec's, so a spec edit during a recreation is honoured.
                w.spec.pool.body !== undefined
                    ? withRotation(w.spec, w.spec.pool.body)
                    : w.kept === undefined
                        ? undefined
                        : withRotation(w.spec, w.kept);
                if (body === undefined) {
                    return stuck(Reason.ResourceNotFound, `pool ${poolName} does not exist in Batch account ${w.spec.batchAccount} and spec.pool.body is not given: nothing to create it from`);
                }
                return actionable([{ op: 'CreatePool', pool: poolName, body }], w.kept === undefined
                    ? `create pool ${poolName} with identity and ${w.spec.keyVaultExtension.type} ${w.spec.keyVaultExtension.typeHandlerVersion}`
                    : `recreate pool ${poolName} (deleted for recreation) with the declared extension`);
            }
            if (eqi(pool.provisioningState, 'Deleting')) {
                return waiting(Reason.StepInProgress, `pool ${poolName} is being deleted`);
            }
            if (a.drift.length === 0)
                return satisfied();
            if (a.block !== undefined)
                return actionable([], a.block.message);
            if (a.source?.kind !== 'body')
                return actionable([], 'no body to recreate the pool from');
            const recreateBody = a.source.body;
            const settling = !eqi(pool.allocationState, 'Steady');
            if (pool.targetDedicatedNodes + pool.targetLowPriorityNodes > 0 || pool.autoScale) {
                if (settling)
                    return waiting(Reason.WaitingForNodes, `pool ${poolName} is ${pool.allocationState ?? 'resizing'}; resizing to zero once it is steady`);
                return actionable([
                    {
                        op: 'ResizePool',
                        pool: poolName,
                        targetDedicatedNodes: 0,
                        targetLowPriorityNodes: 0,
                        recreateBody,
                    },
                ], `recreate pool ${poolName} (idle): first resize it to zero nodes (${a.drift.join('; ')})`);
            }
            if (settling || pool.currentDedicatedNodes + pool.currentLowPriorityNodes > 0) {
                return waiting(Reason.WaitingForNodes, `waiting for pool ${poolName} to reach zero nodes before deleting it for recreation`);
            }
            return actionable([{ op: 'DeletePool', pool: poolName, recreateBody }], `recreate pool ${poolName}: delete it (idle, zero nodes), then create it with the declared extension`);
        },
    };
}
function verifyNodes(w) {
    const poolName = w.spec.pool.name;
    return {
        name: Step.VerifyNodes,
        target: `batchAccount/${w.spec.batchAccount}/pools/${poolName}/nodes`,
        evaluate: () => {
            const pool = w.assessment.pool;
            if (pool === undefined)
                return waiting(Reason.WaitingForNodes, `pool ${poolName} is not observed yet`);
            if (!eqi(pool.allocationState, 'Steady')) {
                return waiting(Reason.WaitingForNodes, `pool ${poolName} is ${pool.allocationState ?? 'allocating'}`);
            }
            if (pool.nodes === undefined)
                return satisfied('no node data was gathered; judged from allocationState Steady');
            const ext = poolExtension(w.spec, pool);
            const name = ext?.name ?? '';
            const notYet = pool.nodes.filter((n) => n.extensions[name] !== 'succeeded');
            if (notYet.length === 0) {
                return satisfied(`the KeyVault extension succeeded on ${pool.nodes.length}/${pool.nodes.length} nodes`);
            }
            const newest = w.vault.observed?.versions.at(-1);
            // The versionless secret resolves to the newest version, and a disabled version's secret is
            // inoperable [KV-CERT]: after a quarantine, new nodes cannot sync until a newer enabled version exists.
            const disabled = newest !== undefined && !newest.enabled
                ? `; the newest version ${newest.version} of ${w.vault.certificate?.name ?? 'the certificate'} is disabled, so its versionless secret cannot be read until a newer enabled version exists`
                : '';
            const failed = notYet.filter((n) => n.extensions[name] === 'failed').map((n) => n.id);
            const pending = notYet.filter((n) => n.extensions[name] !== 'failed').map((n) => n.id);
            return waiting(Reason.WaitingForNodes, `the KeyVault extension ${name} succeeded on ${pool.nodes.length - notYet.length}/${pool.nodes.length} nodes` +
                `${failed.length > 0 ? `; failed on ${failed.join(', ')}` : ''}${pending.length > 0 ? `; not yet on ${pending.join(', ')}` : ''}${disabled}`);
        },
    };
}
function steady(w) {
    return {
        name: Step.Steady,
        target: `batchAccount/${w.spec.batchAccount}/pools/${w.spec.pool.name}`,
        evaluate: () => {
            const goal = w.vault.goal;
            return satisfied(goal === undefined
                ? 'the pool follows the versionless secrets'
                : `the pool follows the versionless secrets; vault latest ${goal.version} (${goal.thumbprint ?? 'thumbprint unknown'})`);
        },
    };
}
export function batchSteps(w) {
    const certificate = w.spec.certificate;
    return [
        ...(certificate?.policy === undefined ? [] : [ensureVaultCertificate(w, certificate)]),
        grantVaultAccess(w),
        ensurePool(w),
        verifyNodes(w),
        steady(w),
    ];
}
//# sourceMappingURL=steps.js.map