// `kv-rollover run` as a real process against the emulator: with no controller registered it still
// runs the runtime (both kinds cached, probes, metrics, leader election) and says so; SIGTERM makes it
// release the Lease and exit 0.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Writable } from 'node:stream';
import { CONTROLLER_FACTORIES, startOperator } from '../../src/cli/commands/run.js';
import { parseRunConfig } from '../../src/cli/config.js';
import { createLogger } from '../../src/observability/logger.js';
import { kubeLeaseClient } from '../../src/kube/leader-election.js';
import type { KubeSandbox } from '../../src/sandbox/kube/index.js';
import { kubeConfigFor, startEmulator, waitFor } from './emulator-helpers.js';

let kube: KubeSandbox;
let dir: string;
let child: ChildProcess | undefined;

beforeAll(async () => {
  kube = await startEmulator();
  dir = mkdtempSync(join(tmpdir(), 'kvr-run-'));
});
afterAll(async () => {
  if (child !== undefined && child.exitCode === null) child.kill('SIGKILL');
  await kube.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('kv-rollover run', () => {
  it('serves probes and metrics without controllers, then releases the Lease and exits 0 on SIGTERM', async () => {
    const kubeconfig = join(dir, 'kubeconfig');
    await kube.writeKubeconfig(kubeconfig);
    const env = { ...process.env };
    delete env.KUBERNETES_SERVICE_HOST;
    child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        'src/cli/main.ts',
        'run',
        '--kubeconfig',
        kubeconfig,
        '--identity=sigterm-op',
        '--leader-election-namespace=default',
        '--leader-election-id=kv-rollover-sigterm',
        '--leader-elect-lease-duration=3s',
        '--leader-elect-renew-deadline=2s',
        '--leader-elect-retry-period=500ms',
        '--metrics-bind-address=127.0.0.1:0',
        '--health-probe-bind-address=127.0.0.1:0',
        '--namespaces=team-a',
      ],
      { env, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    let err = '';
    child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
    const exited = new Promise<number | null>((resolve) => child!.on('exit', (code) => resolve(code)));
    const lines = (): Record<string, unknown>[] =>
      out
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as Record<string, unknown>);

    const leases = kubeLeaseClient(kubeConfigFor(kube));
    await waitFor(
      'the process to hold the Lease',
      async () =>
        (await leases.get('default', 'kv-rollover-sigterm'))?.record.holderIdentity === 'sigterm-op',
      30_000,
    ).catch((e: Error) => {
      throw new Error(`${e.message}\nstdout:\n${out}\nstderr:\n${err}`);
    });
    await waitFor('the runtime to start', () => lines().some((l) => l.msg === 'Started runtime'));
    const started = lines().find((l) => l.msg === 'Started runtime')!;
    const registered = CONTROLLER_FACTORIES.length;
    expect((started.controllers as string[]).length).toBe(registered);
    // With no controller registered the runtime still runs, and says so.
    expect(lines().some((l) => String(l.msg).startsWith('No controller is registered'))).toBe(
      registered === 0,
    );

    const servers = lines()
      .filter((l) => l.msg === 'Serving HTTP endpoints')
      .map((l) => String(l.address));
    expect(servers).toHaveLength(2);
    const urls = servers.map((a) => `http://${a}`);
    let probeUrl = '';
    for (const u of urls) if ((await fetch(`${u}/healthz`)).status === 200) probeUrl = u;
    const metricsUrl = urls.find((u) => u !== probeUrl)!;
    // The caches are synced; the leader's Azure probe (if a controller supplies one) cannot pass here:
    // no Azure is reachable from this test, so only the informer check is asserted.
    await waitFor('informers ready', async () =>
      (await (await fetch(`${probeUrl}/readyz?verbose`)).text()).includes('[+]informers ok'),
    );
    const metrics = await (await fetch(`${metricsUrl}/metrics`)).text();
    expect(metrics).toMatch(/^kvrollover_leader 1$/m);
    expect(metrics).toMatch(/^kvrollover_build_info\{version="\d+\.\d+\.\d+[^"]*"\} 1$/m);
    expect(metrics).toContain(
      'kvrollover_informer_ready{resource="servicefabriccertificaterotations@team-a"} 1',
    );
    expect(metrics).toContain('kvrollover_informer_ready{resource="batchpoolcertificaterotations@team-a"} 1');

    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    const lease = await leases.get('default', 'kv-rollover-sigterm');
    expect(lease?.record.holderIdentity ?? '').toBe('');
    expect(lines().some((l) => l.msg === 'Released the leader Lease')).toBe(true);
    expect(lines().at(-1)?.msg).toBe('Shut down');
  });

  it('exits 2 with the flag named on a bad value', async () => {
    const res = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const p = spawn(
        process.execPath,
        ['--import', 'tsx', 'src/cli/main.ts', 'run', '--resync-period', 'often'],
        {
          stdio: ['ignore', 'ignore', 'pipe'],
        },
      );
      let stderr = '';
      p.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
      p.on('exit', (code) => resolve({ code, stderr }));
    });
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('--resync-period: expected a duration');
  });

  it('with no controller registered still runs the runtime over both kinds, is ready, and says so', async () => {
    let out = '';
    const destination = new Writable({
      write(chunk: Buffer, _enc, cb) {
        out += chunk.toString();
        cb();
      },
    });
    const parsed = parseRunConfig(
      [
        '--leader-elect=false',
        '--metrics-bind-address=127.0.0.1:0',
        '--health-probe-bind-address=127.0.0.1:0',
        '--namespaces=team-b',
      ],
      {},
    );
    if (parsed.help) throw new Error('unexpected help');
    const op = await startOperator(parsed.config, {
      factories: [],
      kubeConfig: kubeConfigFor(kube),
      log: createLogger({ destination }),
    });
    expect(op.servers).toHaveLength(2);
    const probe = op.servers[1]!.address;
    await waitFor(
      'readiness',
      async () => (await fetch(`http://127.0.0.1:${probe.port}/readyz`)).status === 200,
    );
    expect(
      op.runtime.cache
        .statuses()
        .map((s) => s.resource)
        .sort(),
    ).toEqual(['batchpoolcertificaterotations@team-b', 'servicefabriccertificaterotations@team-b']);
    expect(out).toContain('No controller is registered');
    expect(await op.stop()).toBe(0);
    expect(out).toContain('"msg":"Shut down"');
  });

  it('serves the Event Grid webhook on --event-grid-bind-address and wakes the vault watcher', async () => {
    const polled: string[] = [];
    const parsed = parseRunConfig(
      [
        '--leader-elect=false',
        '--metrics-bind-address=127.0.0.1:0',
        '--health-probe-bind-address=127.0.0.1:0',
        '--event-grid-bind-address=127.0.0.1:0',
      ],
      {},
    );
    if (parsed.help) throw new Error('unexpected help');
    const op = await startOperator(parsed.config, {
      factories: [
        () => ({
          registration: {
            kind: { group: 'kvrollover.io', version: 'v1alpha1', kind: 'Probe', plural: 'probes' },
            reconciler: { reconcile: () => Promise.resolve() },
          },
          pollVaultNow: (vault, certificate) => {
            polled.push(`${vault}/${certificate}`);
            return true;
          },
        }),
      ],
      kubeConfig: kubeConfigFor(kube),
      log: createLogger({ destination: new Writable({ write: (_c, _e, cb) => cb() }) }),
    });
    try {
      const webhook = op.servers[2]!.address;
      const url = `http://127.0.0.1:${webhook.port}/`;
      // Event Grid's subscription validation handshake [EG-WH]: echo the code with 200.
      const validation = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'aeg-event-type': 'SubscriptionValidation' },
        body: JSON.stringify([
          {
            id: '1',
            eventType: 'Microsoft.EventGrid.SubscriptionValidationEvent',
            subject: '',
            eventTime: new Date().toISOString(),
            data: { validationCode: 'abc-123' },
            dataVersion: '1',
          },
        ]),
      });
      expect(validation.status).toBe(200);
      expect(await validation.json()).toEqual({ validationResponse: 'abc-123' });
      // A new certificate version [EG-KV] polls that certificate now.
      const pushed = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'aeg-event-type': 'Notification' },
        body: JSON.stringify([
          {
            id: '2',
            topic: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv1',
            subject: 'cluster-cert',
            eventType: 'Microsoft.KeyVault.CertificateNewVersionCreated',
            eventTime: new Date().toISOString(),
            data: {
              Id: 'https://kv1.vault.azure.net/certificates/cluster-cert/abc',
              VaultName: 'kv1',
              ObjectType: 'Certificate',
              ObjectName: 'cluster-cert',
              Version: 'abc',
            },
            dataVersion: '1',
          },
        ]),
      });
      expect(pushed.status).toBeLessThan(300);
      expect(polled).toEqual(['kv1/cluster-cert']);
    } finally {
      expect(await op.stop()).toBe(0);
    }
  });
});
