import { afterEach, describe, expect, it } from 'vitest';
import { HealthChecks, cachedCheck } from '../../src/observability/health.js';
import {
  parseBindAddress,
  startHttpServer,
  type RunningServer,
} from '../../src/observability/http-server.js';
import { registry } from '../../src/observability/metrics.js';
import '../../src/observability/runtime-metrics.js';

let server: RunningServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function get(path: string): Promise<{ status: number; body: string; type: string | null }> {
  const res = await fetch(`http://127.0.0.1:${server!.address.port}${path}`);
  return { status: res.status, body: await res.text(), type: res.headers.get('content-type') };
}

describe('probe and metrics endpoints', () => {
  it('answers /healthz, /readyz with per-check reasons, and /metrics from the shared registry', async () => {
    const health = new HealthChecks();
    let synced = false;
    health.addHealthzCheck('ping', () => ({ ok: true }));
    health.addReadyzCheck('informers', () =>
      synced ? { ok: true } : { ok: false, message: 'servicefabriccertificaterotations: not synced' },
    );
    health.addReadyzCheck('azure', () => Promise.reject(new Error('ARM unreachable')));
    server = await startHttpServer({ host: '127.0.0.1', port: 0 }, { registry, health });

    expect(await get('/healthz')).toMatchObject({ status: 200, body: 'healthz check passed\n' });
    const notReady = await get('/readyz');
    expect(notReady.status).toBe(503);
    expect(notReady.body).toContain('[-]informers failed: servicefabriccertificaterotations: not synced');
    expect(notReady.body).toContain('[-]azure failed: ARM unreachable');

    synced = true;
    health.addReadyzCheck('azure', () => ({ ok: true }));
    const ready = await get('/readyz?verbose');
    expect(ready.status).toBe(200);
    expect(ready.body).toContain('[+]informers ok');

    const metrics = await get('/metrics');
    expect(metrics.status).toBe(200);
    expect(metrics.type).toContain('text/plain');
    for (const name of [
      'kvrollover_reconcile_total',
      'kvrollover_workqueue_depth',
      'kvrollover_watch_restarts_total',
      'kvrollover_leader',
      'kvrollover_informer_ready',
      'kvrollover_terminal_reconcile_errors_total',
    ]) {
      expect(metrics.body).toContain(`# TYPE ${name}`);
    }
    expect((await get('/nope')).status).toBe(404);
  });

  it('parses bind addresses', () => {
    expect(parseBindAddress(':8080')).toEqual({ host: '0.0.0.0', port: 8080 });
    expect(parseBindAddress('127.0.0.1:0')).toEqual({ host: '127.0.0.1', port: 0 });
    expect(parseBindAddress('[::1]:9000')).toEqual({ host: '::1', port: 9000 });
    expect(parseBindAddress('0')).toBeUndefined();
    expect(() => parseBindAddress('8080')).toThrow(/host:port/);
    expect(() => parseBindAddress(':70000')).toThrow(/out of range/);
  });

  it('caches an expensive readiness check and fails it on timeout', async () => {
    let now = 0;
    let calls = 0;
    const check = cachedCheck(
      () => (calls++, { ok: true }),
      10_000,
      1000,
      () => now,
    );
    await check();
    await check();
    expect(calls).toBe(1);
    now = 10_000;
    await check();
    expect(calls).toBe(2);
    const slow = cachedCheck(() => new Promise(() => {}), 0, 20);
    expect(await slow()).toMatchObject({ ok: false, message: 'no answer within 20ms' });
  });
});
