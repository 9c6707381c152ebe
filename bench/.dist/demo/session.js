// What every demo story shares: the sandbox of one scenario, the sample resource applied to it, the real
// operator process, bounded waits on observed state, and the chapters of the story.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { startSandbox } from '../sandbox/index.js';
import { startOperatorProcess } from './operator-process.js';
function sleep(ms) {
    return new Promise((resolve) => setTimeout(resolve, ms));
}
export class DemoSession {
    sandbox;
    options;
    chapters = [];
    logPath;
    result = 'timeout';
    message = '';
    operator;
    started = Date.now();
    deadline;
    constructor(sandbox, options) {
        this.sandbox = sandbox;
        this.options = options;
        this.logPath = path.join(sandbox.stateDir, 'operator.log');
        this.deadline = this.started + (options.timeoutMs ?? 240_000);
    }
    static async start(scenario, options) {
        const sandbox = await startSandbox({ scenario, clockSpeed: options.clockSpeed ?? 600 });
        return new DemoSession(sandbox, options);
    }
    get elapsedMs() {
        return Date.now() - this.started;
    }
    chapter(name, note) {
        this.chapters.push({ name, note, atMs: this.elapsedMs });
        this.options.onChapter?.(name, note);
    }
    /** Applies the sandbox's copy of a deploy/samples file (with the sandbox's real issuer thumbprint). */
    async applySample(fileName) {
        const samplePath = this.sandbox.samplePaths.find((p) => p.endsWith(fileName));
        if (samplePath === undefined)
            throw new Error(`the sandbox wrote no sample ${fileName}`);
        const object = parseYaml(await readFile(samplePath, 'utf8'));
        this.sandbox.kube.createObject(object);
        this.chapter('Applied', `${object.metadata?.namespace ?? 'default'}/${object.metadata?.name ?? '?'} from ${samplePath}`);
    }
    async startOperator() {
        this.operator = await startOperatorProcess({
            ...(this.options.operatorCommand === undefined ? {} : { command: this.options.operatorCommand }),
            env: this.sandbox.env,
            logPath: this.logPath,
        });
        this.chapter('OperatorStarted', `kv-rollover run (pid ${this.operator.child.pid ?? '?'}), logs in ${this.logPath}`);
        this.options.onEndpoints?.({
            metricsUrl: this.operator.metricsUrl,
            healthUrl: this.operator.healthUrl,
            kubeconfig: this.sandbox.kubeconfigPath,
            envFile: this.sandbox.envPath,
            operatorLog: this.logPath,
        });
    }
    /** Polls `snapshot` until `done`, the deadline, or the operator's exit; false unless `done`. */
    async until(name, snapshot, done) {
        while (Date.now() < this.deadline) {
            if (this.operator?.exited === true) {
                this.result = 'failed';
                const child = this.operator.child;
                this.message = `the operator exited with status ${child.exitCode ?? child.signalCode} (see ${this.logPath})`;
                return false;
            }
            const s = snapshot();
            this.options.onProgress?.(name, s);
            if (done(s))
                return true;
            await sleep(250);
        }
        this.message = `timed out during ${name}`;
        return false;
    }
    fail(err) {
        this.result = 'failed';
        this.message = err instanceof Error ? err.message : String(err);
    }
    /** Stops the operator (after `keepUntil`, when given); the sandbox stays up for the report. */
    async finish() {
        if (this.options.keepUntil !== undefined)
            await this.options.keepUntil();
        await this.operator?.stop();
    }
    /** The resource as stored in the Kubernetes emulator. */
    resource(plural, namespace, name) {
        const api = this.sandbox.kube.api;
        const type = api.resolve('kvrollover.io', 'v1alpha1', plural);
        if (type === undefined)
            return undefined;
        try {
            return api.get(type, namespace, name);
        }
        catch {
            return undefined;
        }
    }
    /** The vault's newest enabled version of the scenario's certificate. */
    latestThumbprint() {
        const vault = this.sandbox.env.KVROLLOVER_SANDBOX_VAULT ?? '';
        const name = this.sandbox.env.KVROLLOVER_SANDBOX_CERTIFICATE ?? '';
        const cert = this.sandbox.azure.world.vaults.getCertificate(vault, name);
        return cert?.versions.filter((v) => v.enabled).at(-1)?.thumbprint;
    }
    /** Status fields every snapshot shows. */
    statusFields(status) {
        const conditions = (status.conditions ?? []);
        const inUse = status.certificates?.inUse;
        return {
            elapsedMs: this.elapsedMs,
            virtualTime: this.sandbox.azure.clock.now().toISOString(),
            phase: status.phase,
            step: status.currentStep,
            ready: conditions.find((c) => c.type === 'Ready')?.status,
            expires: inUse?.notAfter,
        };
    }
}
//# sourceMappingURL=session.js.map