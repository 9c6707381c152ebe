// `kv-rollover renew -f ROTATION.yaml` / `kv-rollover renew NAME [-n NAMESPACE] [--kind KIND]`: request an
// immediate renewal of a resource's vault certificate, like `cmctl renew`. It sets the annotation
// `kvrollover.io/renew-requested` to a fresh token through the Kubernetes API (KUBECONFIG); the
// operator, seeing a token it has not acted on, asks the vault for a new version once. Only this verb
// writes the annotation: the operator never writes spec or annotations (GitOps).
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { CustomObjectsApi, PatchStrategy, setHeaderOptions, type KubeConfig } from '@kubernetes/client-node';
import { PooledKubeConfig } from '../../kube/kubeconfig.js';
import {
  API_GROUP,
  API_VERSION,
  Annotation,
  KIND_BATCH_POOL,
  KIND_SERVICE_FABRIC,
  PLURAL_BATCH_POOL,
  PLURAL_SERVICE_FABRIC,
} from '../../domain/names.js';
import { isNotFound } from '../../kube/errors.js';
import { readRotationFile } from '../rotation-file.js';
import { UsageError } from '../usage-error.js';
import type { Command } from './index.js';

const HELP = `Usage: kv-rollover renew -f ROTATION.yaml [-n NAMESPACE]
       kv-rollover renew NAME [-n NAMESPACE] [--kind sfcr|bpcr]

Requests an immediate renewal of the vault certificate of a rotation resource: sets the annotation
${Annotation.RenewRequested} to a fresh token (Kubernetes API, KUBECONFIG). The operator asks the vault
for a new version once per token; the new version then rolls to the nodes as any renewal does.`;

const PLURALS: Readonly<Record<string, string>> = {
  sfcr: PLURAL_SERVICE_FABRIC,
  [KIND_SERVICE_FABRIC.toLowerCase()]: PLURAL_SERVICE_FABRIC,
  [PLURAL_SERVICE_FABRIC]: PLURAL_SERVICE_FABRIC,
  bpcr: PLURAL_BATCH_POOL,
  [KIND_BATCH_POOL.toLowerCase()]: PLURAL_BATCH_POOL,
  [PLURAL_BATCH_POOL]: PLURAL_BATCH_POOL,
};

/** A token no earlier request used: the time (for a person) plus randomness (for uniqueness). */
export function renewToken(now: Date = new Date()): string {
  return `${now.toISOString()}-${randomBytes(4).toString('hex')}`;
}

interface Target {
  readonly plural: string;
  readonly namespace: string;
  readonly name: string;
}

function loadKubeConfig(): KubeConfig {
  const kc = new PooledKubeConfig();
  kc.loadFromDefault();
  if (kc.getCurrentCluster() === null) {
    throw new UsageError('renew: no Kubernetes cluster configured (set KUBECONFIG, or run in a pod)');
  }
  return kc;
}

function contextNamespace(kc: KubeConfig): string | undefined {
  const current = kc.getCurrentContext();
  return kc.getContexts().find((c) => c.name === current)?.namespace;
}

async function targetOf(
  kc: KubeConfig,
  values: { file?: string; namespace?: string; kind?: string },
  positionals: string[],
): Promise<Target> {
  if (values.file !== undefined) {
    if (positionals.length > 0) throw new UsageError('give either -f FILE or NAME, not both');
    const rotation = await readRotationFile(values.file);
    const { metadata } = rotation.resource;
    if (metadata.name === undefined) throw new UsageError(`${values.file} names no resource (metadata.name)`);
    return {
      plural: rotation.kind === KIND_SERVICE_FABRIC ? PLURAL_SERVICE_FABRIC : PLURAL_BATCH_POOL,
      namespace: values.namespace ?? metadata.namespace ?? contextNamespace(kc) ?? 'default',
      name: metadata.name,
    };
  }
  const [name, ...rest] = positionals;
  if (name === undefined) throw new UsageError('missing NAME or -f FILE (see kv-rollover renew --help)');
  if (rest.length > 0) throw new UsageError(`one resource per call; unexpected ${rest.join(' ')}`);
  const plural = PLURALS[(values.kind ?? 'sfcr').toLowerCase()];
  if (plural === undefined) throw new UsageError(`--kind must be sfcr or bpcr, not ${values.kind ?? ''}`);
  return { plural, namespace: values.namespace ?? contextNamespace(kc) ?? 'default', name };
}

export const renewCommand: Command = async (argv) => {
  const { values, positionals } = parseArgs({
    args: argv,
    options: {
      file: { type: 'string', short: 'f' },
      namespace: { type: 'string', short: 'n' },
      kind: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    allowPositionals: true,
    strict: true,
  });
  if (values.help === true) {
    console.log(HELP);
    return 0;
  }
  const kc = loadKubeConfig();
  const target = await targetOf(kc, values, positionals);
  const token = renewToken();
  const api = kc.makeApiClient(CustomObjectsApi);
  try {
    await api.patchNamespacedCustomObject(
      {
        group: API_GROUP,
        version: API_VERSION,
        plural: target.plural,
        namespace: target.namespace,
        name: target.name,
        body: { metadata: { annotations: { [Annotation.RenewRequested]: token } } },
      },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
  } catch (err: unknown) {
    if (isNotFound(err)) {
      console.error(`kv-rollover renew: ${target.plural} ${target.namespace}/${target.name} not found`);
      return 1;
    }
    throw err;
  }
  console.log(
    `Renewal requested for ${target.plural} ${target.namespace}/${target.name} (${Annotation.RenewRequested}=${token}).`,
  );
  return 0;
};
