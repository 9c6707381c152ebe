// `kv-rollover plan -o text` for a pool: one line per step, then the hazards. Changes carry no secret.
import { StepState } from '../names.js';
import { describeChange } from '../plan/render.js';
const MARK = {
    [StepState.Done]: '[x]',
    [StepState.Current]: '[>]',
    [StepState.Pending]: '[ ]',
    [StepState.Blocked]: '[!]',
};
export function describeBatchChange(change) {
    switch (change.op) {
        case 'CreatePool':
            return `pool/${change.pool}: create (identity and KeyVault extension as declared)`;
        case 'ResizePool':
            return `pool/${change.pool}: resize to 0 nodes (before recreation)`;
        case 'DeletePool':
            return `pool/${change.pool}: delete (idle, 0 nodes), to be recreated`;
        default:
            return describeChange(change);
    }
}
export function renderBatchPlanText(plan) {
    const lines = [`${plan.kind} ${plan.name}: phase ${plan.phase}, step ${plan.currentStep}`];
    const { vaultLatest, inUse } = plan.certificates;
    if (vaultLatest)
        lines.push(`  vault latest: ${vaultLatest.thumbprint} notAfter ${vaultLatest.notAfter ?? '?'}`);
    if (inUse)
        lines.push(`  in use:       ${inUse.thumbprint} notAfter ${inUse.notAfter ?? '?'}`);
    lines.push('Steps:');
    for (const step of plan.steps) {
        lines.push(`  ${MARK[step.state] ?? '[?]'} ${step.name.padEnd(27)} ${step.state.padEnd(8)} ${step.reason}  ${step.target}`);
        if (step.message)
            lines.push(`        ${step.message}`);
        for (const change of step.changes)
            lines.push(`        -> ${describeBatchChange(change)}`);
        for (const change of step.deferredChanges ?? [])
            lines.push(`        (held) ${describeBatchChange(change)}`);
    }
    lines.push(plan.hazards.length === 0 ? 'Hazards: none' : 'Hazards:');
    for (const h of plan.hazards)
        lines.push(`  ${h.severity.padEnd(8)} ${h.reason}: ${h.message}`);
    return `${lines.join('\n')}\n`;
}
//# sourceMappingURL=render.js.map