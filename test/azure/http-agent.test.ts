// Connection reuse through an HTTPS proxy (src/azure/http-agent.ts): the SDKs' own proxy agent opens a
// CONNECT tunnel and a TLS handshake per request; ours keeps them alive. Counted at the sandbox's proxy.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keepAliveAgentFor, proxyFor } from '../../src/azure/http-agent.js';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';

const run = promisify(execFile);
const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');

describe('proxyFor: the SDKs’ proxy environment rules', () => {
  const env = { HTTPS_PROXY: 'http://proxy:3128', NO_PROXY: 'localhost,.internal.example,10.0.0.1' };

  it('uses HTTPS_PROXY, then ALL_PROXY, then HTTP_PROXY, upper case first', () => {
    expect(proxyFor('https://management.azure.com', env)).toBe('http://proxy:3128');
    expect(proxyFor('https://x.vault.azure.net', { https_proxy: 'http://lower:1' })).toBe('http://lower:1');
    expect(
      proxyFor('https://x.vault.azure.net', { ALL_PROXY: 'http://all:1', HTTP_PROXY: 'http://h:1' }),
    ).toBe('http://all:1');
    expect(proxyFor('https://management.azure.com', {})).toBeUndefined();
  });

  it('bypasses exact hosts and `.domain` patterns (the domain itself and its subdomains)', () => {
    expect(proxyFor('https://localhost:6443', env)).toBeUndefined();
    expect(proxyFor('https://a.internal.example', env)).toBeUndefined();
    expect(proxyFor('https://internal.example', env)).toBeUndefined();
    expect(proxyFor('https://10.0.0.1', env)).toBeUndefined();
    expect(proxyFor('https://notinternal.example', env)).toBe('http://proxy:3128');
  });

  it('shares one agent per proxy and none for a direct or plain-HTTP endpoint', () => {
    const saved = process.env.HTTPS_PROXY;
    process.env.HTTPS_PROXY = 'http://127.0.0.1:9';
    try {
      const a = keepAliveAgentFor('https://management.azure.com');
      expect(a).toBeDefined();
      expect(keepAliveAgentFor('https://kv.vault.azure.net')).toBe(a);
      expect(keepAliveAgentFor('http://management.azure.com')).toBeUndefined();
    } finally {
      if (saved === undefined) delete process.env.HTTPS_PROXY;
      else process.env.HTTPS_PROXY = saved;
    }
  });
});

describe('keep-alive through the sandbox proxy', () => {
  let sb: Sandbox;
  let connects: number;
  let reads: { armReads: number; vaultReads: number };

  beforeAll(async () => {
    sb = await startSandbox({ scenario: 'servicefabric', throttling: false });
    const before = sb.azure.counters.total({ service: 'proxy', operation: 'CONNECT' });
    const child = await run(
      process.execPath,
      ['--import', 'tsx', path.join(here, 'fixtures', 'keep-alive-client.ts')],
      { cwd: root, env: { ...process.env, ...sb.env }, timeout: 60_000 },
    ).catch((err: { stderr?: string; message?: string }) => {
      throw new Error(`client process failed: ${err.stderr ?? err.message ?? 'unknown'}`);
    });
    reads = JSON.parse(child.stdout.trim().split('\n').pop()!) as typeof reads;
    connects = sb.azure.counters.total({ service: 'proxy', operation: 'CONNECT' }) - before;
  }, 90_000);

  afterAll(async () => {
    await sb?.close();
  });

  it('opens a handful of tunnels for dozens of requests, not one per request', () => {
    expect(reads.armReads + reads.vaultReads).toBe(24);
    // One tunnel to ARM, one to the vault, one or two to the token endpoint (its own pipeline).
    expect(connects).toBeGreaterThan(0);
    expect(connects).toBeLessThanOrEqual(4);
  });
});
