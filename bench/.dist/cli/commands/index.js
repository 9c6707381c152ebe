export const COMMANDS = {
    run: {
        summary: 'Run the operator.',
        load: async () => (await import('./run.js')).runCommand,
    },
    plan: {
        summary: 'Print the ordered rotation plan for one resource (live, read-only, or from a snapshot).',
        load: async () => (await import('./plan.js')).planCommand,
    },
    snapshot: {
        summary: 'Write the observed Azure state a plan needs to a directory (public material only).',
        load: async () => (await import('./snapshot.js')).snapshotCommand,
    },
    renew: {
        summary: 'Request an immediate renewal of the vault certificate of a resource.',
        load: async () => (await import('./renew.js')).renewCommand,
    },
    demo: {
        summary: 'Run the whole story on the embedded sandbox, with a live progress view.',
        load: async () => (await import('./demo.js')).demoCommand,
    },
    sandbox: {
        summary: 'Run the sandbox (Kubernetes and Azure emulators) alone until interrupted.',
        load: async () => (await import('./sandbox.js')).sandboxCommand,
    },
    crds: {
        summary: 'Print the CustomResourceDefinition YAML.',
        load: async () => (await import('./crds.js')).crdsCommand,
    },
    bench: {
        summary: 'Run the benchmark against the sandbox and print a table (--json for machine-readable).',
        load: async () => (await import('./bench.js')).benchCommand,
    },
};
//# sourceMappingURL=index.js.map