// The whole sandbox: the Kubernetes API emulator and the Azure emulator with its simulated world,
// seeded with a scenario, plus the files a client needs to use them (kubeconfig, the dotenv file of
// design §2, ready-to-apply samples). Used by `kv-rollover sandbox`, `demo`, the tests and the bench.
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { packagePath } from '../package-files.js';
import { crdObjects } from '../api/index.js';
import { startAzureSandbox, type AzureSandbox } from './azure/index.js';
import { startKubeApiServer, type KubeSandbox } from './kube/index.js';
import {
  DEFAULT_SCENARIO,
  DEMO_SUBSCRIPTION_ID,
  SCENARIOS,
  scenarioByName,
  type ScenarioResult,
} from './scenarios/index.js';
import { simulatedWorldProvider, type AttachOptions } from './world/attach.js';
import type { SimWorld } from './world/index.js';

export interface SandboxOptions {
  readonly scenario?: string;
  /** Directory for the CA, kubeconfig, env file and samples; a fresh temporary one by default (removed on close). */
  readonly stateDir?: string;
  /** Virtual seconds that pass per real second (0: the clock moves only when the caller advances it). */
  readonly clockSpeed?: number;
  /** Azure throttling at the documented limits (default true, as in Azure). */
  readonly throttling?: boolean;
  readonly world?: AttachOptions;
  /** Keep the Kubernetes state in this file across runs. */
  readonly kubeStateFile?: string;
}

export interface Sandbox {
  readonly kube: KubeSandbox;
  readonly azure: AzureSandbox;
  readonly sim: SimWorld;
  readonly scenario: { readonly name: string } & ScenarioResult;
  readonly stateDir: string;
  readonly kubeconfigPath: string;
  readonly envPath: string;
  /** Every variable of the env file: KUBECONFIG, AZURE_*, NODE_EXTRA_CA_CERTS, HTTPS_PROXY, KVROLLOVER_SANDBOX_*. */
  readonly env: Readonly<Record<string, string>>;
  /** The deploy/samples resources with the sandbox's real issuer thumbprint, ready for kubectl apply. */
  readonly samplePaths: readonly string[];
  close(): Promise<void>;
}

/** The placeholder issuer thumbprint the samples in deploy/samples carry. */
const SAMPLE_ISSUER_PLACEHOLDER = '8A2F4C6E1B3D5F7A9C0E2B4D6F8A1C3E5B7D9F02';
const samplesDir = (): string => packagePath('deploy', 'samples');
const SAMPLE_FILES = ['servicefabriccertificaterotation.yaml', 'batchpoolcertificaterotation.yaml'];
const CLOCK_TICK_MS = 250;

export function scenarioNames(): string[] {
  return Object.keys(SCENARIOS);
}

function dotenv(env: Readonly<Record<string, string>>): string {
  return Object.entries(env)
    .map(([k, v]) => `${k}=${/[\s#"'$]/.test(v) ? JSON.stringify(v) : v}`)
    .join('\n')
    .concat('\n');
}

async function writeSamples(dir: string, issuerThumbprint: string | undefined): Promise<string[]> {
  const samples = samplesDir();
  if (!existsSync(samples)) return [];
  await mkdir(path.join(dir, 'samples'), { recursive: true });
  const written: string[] = [];
  for (const file of SAMPLE_FILES) {
    const source = path.join(samples, file);
    if (!existsSync(source)) continue;
    const text = await readFile(source, 'utf8');
    const target = path.join(dir, 'samples', file);
    await writeFile(
      target,
      issuerThumbprint === undefined ? text : text.replaceAll(SAMPLE_ISSUER_PLACEHOLDER, issuerThumbprint),
    );
    written.push(target);
  }
  return written;
}

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const scenarioName = options.scenario ?? DEFAULT_SCENARIO;
  const scenario = scenarioByName(scenarioName);
  if (scenario === undefined) {
    throw new RangeError(`unknown scenario "${scenarioName}"; known: ${scenarioNames().join(', ')}`);
  }
  const ownDir = options.stateDir === undefined;
  const stateDir = options.stateDir ?? (await mkdtemp(path.join(tmpdir(), 'kvr-sandbox-')));
  await mkdir(stateDir, { recursive: true });
  const world = simulatedWorldProvider(options.world);
  const azure = await startAzureSandbox({
    subscriptionId: DEMO_SUBSCRIPTION_ID,
    throttling: options.throttling ?? true,
    providers: [world.provider],
    stateDir,
  });
  let kube: KubeSandbox | undefined;
  let ticker: NodeJS.Timeout | undefined;
  try {
    const sim = world.get();
    const seeded = await scenario.seed({
      azure: azure.world,
      sim,
      operatorObjectId: azure.operator.objectId,
    });
    kube = await startKubeApiServer({
      crds: crdObjects(),
      ...(options.kubeStateFile === undefined ? {} : { stateFile: options.kubeStateFile }),
    });
    const kubeconfigPath = path.join(stateDir, 'kubeconfig');
    await kube.writeKubeconfig(kubeconfigPath);
    const env = { KUBECONFIG: kubeconfigPath, ...azure.env, ...seeded.env };
    const envPath = path.join(stateDir, 'sandbox.env');
    await writeFile(envPath, dotenv(env), { mode: 0o600 });
    const samplePaths = await writeSamples(stateDir, seeded.env.KVROLLOVER_SANDBOX_ISSUER_THUMBPRINT);
    const speed = options.clockSpeed ?? 0;
    if (speed > 0) {
      ticker = setInterval(() => azure.clock.advance(CLOCK_TICK_MS * speed), CLOCK_TICK_MS);
      ticker.unref();
    }
    const started = kube;
    return {
      kube: started,
      azure,
      sim,
      scenario: { name: scenario.name, ...seeded },
      stateDir,
      kubeconfigPath,
      envPath,
      env,
      samplePaths,
      async close() {
        if (ticker !== undefined) clearInterval(ticker);
        await azure.world.eventGrid.close();
        await started.close();
        sim.dispose();
        await azure.close();
        if (ownDir) await rm(stateDir, { recursive: true, force: true });
      },
    };
  } catch (err: unknown) {
    if (ticker !== undefined) clearInterval(ticker);
    await kube?.close();
    await azure.close();
    if (ownDir) await rm(stateDir, { recursive: true, force: true });
    throw err;
  }
}
