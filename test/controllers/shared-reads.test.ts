// Shared reads (identity, vault access) reused by converged resources for a TTL, per credential.
import { describe, expect, it } from 'vitest';
import { SharedReads } from '../../src/controllers/shared-reads.js';

describe('SharedReads', () => {
  it('reads once per key and TTL, whatever the number of callers, concurrent or not', async () => {
    let now = 0;
    const reads = new SharedReads(() => now, 1000);
    const owner = {};
    let loads = 0;
    const load = (): Promise<string> => Promise.resolve(`body-${++loads}`);
    const first = await Promise.all([1, 2, 3].map(() => reads.for(owner).get('/ID/X', load)));
    expect(first).toEqual(['body-1', 'body-1', 'body-1']);
    now = 999;
    expect(await reads.for(owner).get('/id/x', load)).toBe('body-1');
    now = 1000;
    expect(await reads.for(owner).get('/id/x', load)).toBe('body-2');
    expect(loads).toBe(2);
  });

  it('keeps credentials apart and never keeps a failure', async () => {
    const reads = new SharedReads(() => 0, 1000);
    const a = {};
    const b = {};
    let loads = 0;
    await reads.for(a).get('k', () => Promise.resolve(++loads));
    await reads.for(b).get('k', () => Promise.resolve(++loads));
    expect(loads).toBe(2);
    await expect(reads.for(a).get('fails', () => Promise.reject(new Error('403')))).rejects.toThrow('403');
    expect(await reads.for(a).get('fails', () => Promise.resolve('ok'))).toBe('ok');
  });
});
