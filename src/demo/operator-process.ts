// The real operator as a child process (`kv-rollover run`), configured only from the sandbox's env file
// exactly as it would be in a cluster. Used by the demo, the end-to-end tests and the benchmark.
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';

/** A free loopback port (bound then released) for the operator's HTTP endpoints. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  return typeof address === 'object' && address !== null ? address.port : 0;
}

/** The binary running now (`node [execArgv] bin/kv-rollover.js`): its `run` verb is the operator. */
export function currentCliCommand(): string[] {
  const bin = process.argv[1] ?? path.resolve('bin/kv-rollover.js');
  return [process.execPath, ...process.execArgv, bin];
}

export interface OperatorProcessOptions {
  /** The CLI to start (default: the one running now). */
  readonly command?: readonly string[];
  /** The sandbox's environment (KUBECONFIG, AZURE_*, HTTPS_PROXY, NODE_EXTRA_CA_CERTS). */
  readonly env: Readonly<Record<string, string>>;
  /** Appended to; stdout and stderr both go there. */
  readonly logPath: string;
  readonly stepPollInterval?: string;
  readonly vaultPollInterval?: string;
  readonly leaderElection?: boolean;
  /** Replica identity (leader election). */
  readonly identity?: string;
  readonly extraArgs?: readonly string[];
}

export interface OperatorProcess {
  readonly child: ChildProcess;
  readonly metricsUrl: string;
  readonly healthUrl: string;
  readonly exited: boolean;
  /** SIGTERM, then SIGKILL after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
  /** A crash: SIGKILL, no cleanup. */
  kill(): Promise<void>;
}

function waitForExit(child: ChildProcess, ms: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

export async function startOperatorProcess(options: OperatorProcessOptions): Promise<OperatorProcess> {
  const metricsPort = await freePort();
  const probePort = await freePort();
  const args = [
    'run',
    `--leader-elect=${options.leaderElection === true ? 'true' : 'false'}`,
    `--metrics-bind-address=127.0.0.1:${metricsPort}`,
    `--health-probe-bind-address=127.0.0.1:${probePort}`,
    `--vault-poll-interval=${options.vaultPollInterval ?? '2s'}`,
    `--step-poll-interval=${options.stepPollInterval ?? '1s'}`,
    ...(options.identity === undefined ? [] : [`--identity=${options.identity}`]),
    ...(options.extraArgs ?? []),
  ];
  const [command, ...prefix] = options.command ?? currentCliCommand();
  const log = createWriteStream(options.logPath, { flags: 'a' });
  const child = spawn(command ?? process.execPath, [...prefix, ...args], {
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.pipe(log, { end: false });
  child.stderr?.pipe(log, { end: false });
  child.once('exit', () => log.end());
  return {
    child,
    metricsUrl: `http://127.0.0.1:${metricsPort}/metrics`,
    healthUrl: `http://127.0.0.1:${probePort}/readyz`,
    get exited() {
      return child.exitCode !== null || child.signalCode !== null;
    },
    async stop(graceMs = 10_000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      if (!(await waitForExit(child, graceMs))) {
        child.kill('SIGKILL');
        await waitForExit(child, 5_000);
      }
    },
    async kill() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGKILL');
      await waitForExit(child, 5_000);
    },
  };
}
