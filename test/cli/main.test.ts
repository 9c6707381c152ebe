import { execFileSync, spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

const BIN = 'bin/kv-rollover.js';

describe('kv-rollover CLI', () => {
  it('lists every verb of the public contract in its usage', () => {
    const out = execFileSync('node', [BIN, '--help'], { encoding: 'utf8' });
    for (const verb of ['run', 'plan', 'snapshot', 'demo', 'sandbox', 'crds', 'renew']) {
      expect(out).toMatch(new RegExp(`^  ${verb} `, 'm'));
    }
  });

  it('rejects an unknown verb with exit status 2 and the usage', () => {
    const res = spawnSync('node', [BIN, 'frobnicate'], { encoding: 'utf8' });
    expect(res.status).toBe(2);
    expect(res.stderr).toContain("unknown command 'frobnicate'");
  });
});
