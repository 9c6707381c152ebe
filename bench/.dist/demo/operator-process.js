// The real operator as a child process (`kv-rollover run`), configured only from the sandbox's env file
// exactly as it would be in a cluster. Used by the demo, the end-to-end tests and the benchmark.
import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
/** A free loopback port (bound then released) for the operator's HTTP endpoints. */
export async function freePort() {
    const server = createServer();
    await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    await new Promise((resolve) => server.close(resolve));
    return typeof address === 'object' && address !== null ? address.port : 0;
}
/** The binary running now (`node [execArgv] bin/kv-rollover.js`): its `run` verb is the operator. */
export function currentCliCommand() {
    const bin = process.argv[1] ?? path.resolve('bin/kv-rollover.js');
    return [process.execPath, ...process.execArgv, bin];
}
function waitForExit(child, ms) {
    if (child.exitCode !== null || child.signalCode !== null)
        return Promise.resolve(true);
    return new Promise((resolve) => {
        const timer = setTimeout(() => resolve(false), ms);
        child.once('exit', () => {
            clearTimeout(timer);
            resolve(true);
        });
    });
}
export async function startOperatorProcess(options) {
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
            if (child.exitCode !== null || child.signalCode !== null)
                return;
            child.kill('SIGTERM');
            if (!(await waitForExit(child, graceMs))) {
                child.kill('SIGKILL');
                await waitForExit(child, 5_000);
            }
        },
        async kill() {
            if (child.exitCode !== null || child.signalCode !== null)
                return;
            child.kill('SIGKILL');
            await waitForExit(child, 5_000);
        },
    };
}
//# sourceMappingURL=operator-process.js.map