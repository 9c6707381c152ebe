// `kv-rollover demo [--scenario NAME] [--json]`: the whole story on the embedded sandbox with a live
// progress view; `--json` prints a machine-readable final report instead (design §2).
import { parseArgs } from 'node:util';
import { runBatchStory } from '../../demo/batch-story.js';
import { runServiceFabricStory } from '../../demo/story.js';
import { UsageError } from '../usage-error.js';
const HELP = `Usage: kv-rollover demo [--scenario servicefabric|batch] [--json] [--keep] [--clock-speed N] [--timeout SECONDS]

Starts the sandbox (Kubernetes and Azure emulators with a simulated world), applies the scenario's sample
resource, runs the real operator process against it and shows the rotation:
  servicefabric  the thumbprint-declared cluster is converted to common-name declaration, then the vault
                 renews the certificate and every node rolls to it with no cluster change;
  batch          the pool is created with the identity and the KeyVault extension, every node installs the
                 certificate, then a vault renewal reaches every node with no pool change.
Exit status 0 when the story converged (and, for Service Fabric, the cluster never lost availability).
While it runs it prints where the operator's metrics are served and how to point kubectl at the sandbox;
--keep leaves both running after the story until Ctrl-C.`;
const STORIES = {
    servicefabric: runServiceFabricStory,
    batch: runBatchStory,
};
function availability(s) {
    return s.available === undefined ? '' : s.available ? 'available' : 'UNAVAILABLE';
}
function line(s) {
    const t = (s.elapsedMs / 1000).toFixed(1).padStart(5);
    return (`${t}s  ${(s.phase ?? '-').padEnd(12)} ${(s.step ?? '-').padEnd(27)} ${s.target} ${s.targetState.padEnd(24)} ` +
        `${s.detail.padEnd(34)} nodes on latest ${s.nodesOnLatest}/${s.nodes}  ${availability(s)}`);
}
function key(s) {
    return [s.phase, s.step, s.targetState, s.detail, s.nodesOnLatest, s.nodes, s.available].join('|');
}
function view(chapter, s) {
    return [
        `kv-rollover demo — ${chapter}`,
        `  resource   phase ${s.phase ?? '-'}  step ${s.step ?? '-'}  Ready ${s.ready ?? '-'}`,
        `  ${s.target.padEnd(10)} ${s.targetState}  ${s.detail}`,
        `  nodes      ${s.nodesOnLatest}/${s.nodes} hold the vault's latest certificate ${s.latestThumbprint ?? ''}`,
        `  expires    ${s.expires ?? '-'}`,
        ...(s.available === undefined
            ? []
            : [`  oracle     ${s.available ? 'every node authenticates every other node' : 'UNAVAILABLE'}`]),
        `  time       ${(s.elapsedMs / 1000).toFixed(1)} s real, virtual ${s.virtualTime}`,
    ].join('\n');
}
function summary(report) {
    const lines = [
        '',
        `Result: ${report.result} — ${report.message}`,
        ...report.chapters.map((c) => `  ${(c.atMs / 1000).toFixed(1).padStart(6)}s  ${c.name}: ${c.note}`),
    ];
    if (report.scenario === 'servicefabric') {
        lines.push(`Availability: ${report.availability.everUnavailable ? 'LOST at some point' : 'never lost'} (${report.availability.evaluations} oracle evaluations)`, `Cluster writes: ${report.clusterWritesUntilConversion} to convert, ${report.clusterWritesAfterConversion} after the conversion`);
    }
    else {
        lines.push(`Pool writes: ${report.poolWritesUntilReady} to create, ${report.poolWritesAfterReady} after`);
    }
    lines.push(`Operator log: ${report.operatorLog} (removed with the sandbox)`);
    return lines.join('\n');
}
function succeeded(report) {
    if (report.result !== 'converged')
        return false;
    return report.scenario === 'batch' || !report.availability.everUnavailable;
}
export const demoCommand = async (argv) => {
    const { values } = parseArgs({
        args: argv,
        options: {
            scenario: { type: 'string', default: 'servicefabric' },
            json: { type: 'boolean', default: false },
            'clock-speed': { type: 'string', default: '600' },
            timeout: { type: 'string', default: '240' },
            keep: { type: 'boolean', default: false },
            help: { type: 'boolean', short: 'h' },
        },
        strict: true,
    });
    if (values.help === true) {
        console.log(HELP);
        return 0;
    }
    const story = STORIES[values.scenario];
    if (story === undefined) {
        throw new UsageError(`unknown scenario "${values.scenario}"; known: ${Object.keys(STORIES).join(', ')}`);
    }
    const clockSpeed = Number(values['clock-speed']);
    const timeoutS = Number(values.timeout);
    if (!(clockSpeed > 0))
        throw new UsageError('--clock-speed must be a positive number');
    if (!(timeoutS > 0))
        throw new UsageError('--timeout must be a positive number of seconds');
    const json = values.json;
    const tty = process.stdout.isTTY && !json;
    let drawn = 0;
    let lastKey = '';
    const report = await story({
        clockSpeed,
        timeoutMs: timeoutS * 1000,
        onEndpoints: (e) => {
            if (json)
                return;
            console.log(`\nMetrics  ${e.metricsUrl}   (readiness ${e.healthUrl})`);
            console.log(`kubectl  export KUBECONFIG=${e.kubeconfig}; kubectl get kvrollover -o wide   (all variables: ${e.envFile})`);
        },
        ...(values.keep
            ? {
                keepUntil: () => {
                    if (!json)
                        console.log('\n--keep: the sandbox and the operator keep running; press Ctrl-C to stop.');
                    return new Promise((resolve) => {
                        process.once('SIGINT', () => resolve());
                        process.once('SIGTERM', () => resolve());
                    });
                },
            }
            : {}),
        onChapter: (name, note) => {
            if (json)
                return;
            drawn = 0;
            console.log(`\n== ${name}: ${note}`);
        },
        onProgress: (chapter, s) => {
            if (json)
                return;
            if (tty) {
                const text = view(chapter, s);
                if (drawn > 0)
                    process.stdout.write(`\x1b[${drawn}A\x1b[J`);
                process.stdout.write(`${text}\n`);
                drawn = text.split('\n').length;
            }
            else if (key(s) !== lastKey) {
                lastKey = key(s);
                console.log(line(s));
            }
        },
    });
    if (json)
        console.log(JSON.stringify(report, null, 2));
    else
        console.log(summary(report));
    return succeeded(report) ? 0 : 1;
};
//# sourceMappingURL=demo.js.map