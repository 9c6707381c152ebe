// `kv-rollover demo [--scenario NAME] [--json]`: the whole story on the embedded sandbox with a live
// progress view; `--json` prints a machine-readable final report instead (design §2).
import { parseArgs } from 'node:util';
import { runServiceFabricStory, type Snapshot, type StoryReport } from '../../demo/story.js';
import { UsageError } from '../usage-error.js';
import type { Command } from './index.js';

const HELP = `Usage: kv-rollover demo [--scenario servicefabric] [--json] [--clock-speed N] [--timeout SECONDS] [--keep]

Starts the sandbox (Kubernetes and Azure emulators with a simulated Service Fabric cluster), applies the
sample ServiceFabricCertificateRotation, runs the real operator process against it and shows the rotation:
the thumbprint-declared cluster is converted to common-name declaration, then the vault renews the
certificate and every node rolls to it with no cluster change. Exit status 0 when the story converged
and the cluster never lost availability. While it runs it prints where the operator's metrics are served
and how to point kubectl at the sandbox; --keep leaves both running after the story until Ctrl-C.`;

function line(s: Snapshot): string {
  const t = (s.elapsedMs / 1000).toFixed(1).padStart(5);
  return (
    `${t}s  ${(s.phase ?? '-').padEnd(12)} ${(s.step ?? '-').padEnd(27)} cluster ${s.clusterState.padEnd(24)} ` +
    `${s.declaration.padEnd(34)} nodes on latest ${s.nodesOnLatest}/${s.nodes}  ${s.available ? 'available' : 'UNAVAILABLE'}`
  );
}

function key(s: Snapshot): string {
  return [s.phase, s.step, s.clusterState, s.declaration, s.nodesOnLatest, s.available].join('|');
}

function view(chapter: string, s: Snapshot): string {
  return [
    `kv-rollover demo — ${chapter}`,
    `  resource   default/kvr-demo-cluster  phase ${s.phase ?? '-'}  step ${s.step ?? '-'}  Ready ${s.ready ?? '-'}`,
    `  cluster    kvr-demo-sf  state ${s.clusterState}  declared by ${s.declaration}`,
    `  nodes      ${s.nodesOnLatest}/${s.nodes} present the vault's latest certificate ${s.latestThumbprint ?? ''}`,
    `  expires    ${s.expires ?? '-'}`,
    `  oracle     ${s.available ? 'every node authenticates every other node' : 'UNAVAILABLE'}`,
    `  time       ${(s.elapsedMs / 1000).toFixed(1)} s real, virtual ${s.virtualTime}`,
  ].join('\n');
}

function summary(report: StoryReport): string {
  const lines = [
    '',
    `Result: ${report.result} — ${report.message}`,
    ...report.chapters.map((c) => `  ${(c.atMs / 1000).toFixed(1).padStart(6)}s  ${c.name}: ${c.note}`),
    `Availability: ${report.availability.everUnavailable ? 'LOST at some point' : 'never lost'} (${report.availability.evaluations} oracle evaluations)`,
    `Cluster writes: ${report.clusterWritesUntilConversion} to convert, ${report.clusterWritesAfterConversion} after the conversion`,
    `Operator log: ${report.operatorLog} (removed with the sandbox)`,
  ];
  return lines.join('\n');
}

export const demoCommand: Command = async (argv) => {
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
  if (values.scenario !== 'servicefabric') {
    throw new UsageError(
      `the demo tells the servicefabric scenario; "${values.scenario}" is not available yet`,
    );
  }
  const clockSpeed = Number(values['clock-speed']);
  const timeoutS = Number(values.timeout);
  if (!(clockSpeed > 0)) throw new UsageError('--clock-speed must be a positive number');
  if (!(timeoutS > 0)) throw new UsageError('--timeout must be a positive number of seconds');
  const tty = process.stdout.isTTY && !values.json;
  let drawn = 0;
  let lastKey = '';
  const report = await runServiceFabricStory({
    clockSpeed,
    timeoutMs: timeoutS * 1000,
    onEndpoints: (e) => {
      if (values.json) return;
      console.log(`\nMetrics  ${e.metricsUrl}   (readiness ${e.healthUrl})`);
      console.log(
        `kubectl  export KUBECONFIG=${e.kubeconfig}; kubectl get sfcr -o wide   (all variables: ${e.envFile})`,
      );
    },
    ...(values.keep
      ? {
          keepUntil: () => {
            if (!values.json)
              console.log('\n--keep: the sandbox and the operator keep running; press Ctrl-C to stop.');
            return new Promise<void>((resolve) => {
              process.once('SIGINT', () => resolve());
              process.once('SIGTERM', () => resolve());
            });
          },
        }
      : {}),
    onChapter: (name, note) => {
      if (values.json) return;
      if (tty && drawn > 0) drawn = 0;
      console.log(`\n== ${name}: ${note}`);
    },
    onProgress: (chapter, s) => {
      if (values.json) return;
      if (tty) {
        const text = view(chapter, s);
        if (drawn > 0) process.stdout.write(`\x1b[${drawn}A\x1b[J`);
        process.stdout.write(`${text}\n`);
        drawn = text.split('\n').length;
      } else if (key(s) !== lastKey) {
        lastKey = key(s);
        console.log(line(s));
      }
    },
  });
  if (values.json) console.log(JSON.stringify(report, null, 2));
  else console.log(summary(report));
  return report.result === 'converged' && !report.availability.everUnavailable ? 0 : 1;
};
