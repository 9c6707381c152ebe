import { describe, expect, it } from 'vitest';
import { TerminalError, TransientError } from '../../src/domain/errors.js';
import {
  LroKind,
  decodePollerState,
  decodeResumeToken,
  encodeResumeToken,
  handleFromPoller,
} from '../../src/azure/lro.js';
import type { PollerV2, PollerV3 } from '../../src/azure/lro.js';
import type { AzureCallContext } from '../../src/azure/errors.js';

const ctx: AzureCallContext = { service: 'arm', operation: 'updateScaleSet', resource: 'scale set "nt1vm"' };

/** A core-lro 3 style poller that runs `statuses` one per poll. */
function pollerV3(statuses: string[], error?: Error): PollerV3 & { polls: number } {
  let i = 0;
  const p = {
    polls: 0,
    get isDone() {
      return ['succeeded', 'failed', 'canceled'].includes(statuses[i] ?? '');
    },
    get operationState() {
      return { status: statuses[i] ?? 'running', ...(error === undefined ? {} : { error }) };
    },
    poll() {
      p.polls += 1;
      i = Math.min(i + 1, statuses.length - 1);
      if (statuses[i] === 'failed' && error !== undefined) return Promise.reject(error);
      return Promise.resolve();
    },
    async pollUntilDone() {
      while (!p.isDone) await p.poll();
    },
    serialize: () => Promise.resolve(JSON.stringify({ state: { config: { step: i } } })),
    submitted: () => Promise.resolve(),
  };
  return p;
}

/** A core-lro 2 style poller. */
function pollerV2(statuses: string[]): PollerV2 {
  let i = 0;
  return {
    isDone: () => ['succeeded', 'failed', 'canceled'].includes(statuses[i] ?? ''),
    getOperationState: () => ({ status: statuses[i] ?? 'running' }),
    poll: () => {
      i = Math.min(i + 1, statuses.length - 1);
      return Promise.resolve();
    },
    pollUntilDone: () => {
      i = statuses.length - 1;
      return Promise.resolve();
    },
    toString: () => `{"step":${i}}`,
  };
}

describe('resume tokens', () => {
  it('round-trip the kind, the poller state and the resume arguments', async () => {
    const handle = await handleFromPoller(LroKind.ClusterPut, pollerV2(['running', 'succeeded']), ctx, [
      'rg',
      'c1',
    ]);
    const token = decodeResumeToken(handle.resumeToken);
    expect(token.kind).toBe('ClusterPut');
    expect(token.resource).toBe('scale set "nt1vm"');
    expect(decodePollerState(token.state)).toEqual({ args: ['rg', 'c1'], poller: '{"step":0}' });
  });

  it('refuse tokens kv-rollover did not write', () => {
    expect(() => decodeResumeToken('not json')).toThrow(TerminalError);
    expect(() => decodeResumeToken(JSON.stringify({ kind: 'Other', state: '' }))).toThrow(TerminalError);
    expect(() => decodePollerState('{}')).toThrow(TerminalError);
    const ok = encodeResumeToken({ kind: LroKind.PoolDelete, state: 's', resource: 'r' });
    expect(decodeResumeToken(ok)).toEqual({ kind: 'PoolDelete', state: 's', resource: 'r' });
  });
});

describe('LroHandle', () => {
  it('polls once per call and refreshes the token as the operation progresses', async () => {
    const poller = pollerV3(['running', 'running', 'succeeded']);
    const handle = await handleFromPoller(LroKind.ScaleSetUpdate, poller, ctx);
    const first = await handle.poll();
    expect(first.state).toBe('running');
    expect(poller.polls).toBe(1);
    const second = await handle.poll();
    expect(second.state).toBe('succeeded');
    expect(second.resumeToken).not.toBe(handle.resumeToken);
    // Done: further polls send nothing.
    await handle.poll();
    expect(poller.polls).toBe(2);
  });

  it('reports a failed operation as a transient error carrying the service message', async () => {
    const azureError = new Error('VMExtensionProvisioningError: extension failed');
    const handle = await handleFromPoller(
      LroKind.ScaleSetUpdate,
      pollerV3(['running', 'failed'], azureError),
      ctx,
    );
    const progress = await handle.poll();
    expect(progress.state).toBe('failed');
    expect(progress.error).toBeInstanceOf(TransientError);
    expect(progress.error?.message).toContain('VMExtensionProvisioningError');
    const again = await handleFromPoller(
      LroKind.ScaleSetUpdate,
      pollerV3(['running', 'failed'], azureError),
      ctx,
    );
    await expect(again.wait()).rejects.toBeInstanceOf(TransientError);
  });

  it('wait resolves on success and rejects on cancellation', async () => {
    await expect(
      (await handleFromPoller(LroKind.PoolDelete, pollerV2(['running', 'succeeded']), ctx)).wait(),
    ).resolves.toBeUndefined();
    await expect(
      (await handleFromPoller(LroKind.PoolDelete, pollerV2(['running', 'canceled']), ctx)).wait(),
    ).rejects.toThrow(/canceled/);
  });
});
