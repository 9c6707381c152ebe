export function phasedReconciler(phases) {
    return {
        async reconcile(key, ctx) {
            const observed = await phases.gather(key, ctx);
            if (observed === undefined)
                return undefined;
            const plan = phases.plan(observed, ctx);
            const outcome = await phases.execute(plan, observed, ctx);
            return phases.status(plan, observed, outcome, ctx);
        },
    };
}
//# sourceMappingURL=reconciler.js.map