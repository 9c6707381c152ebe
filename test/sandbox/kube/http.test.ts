// The emulator's HTTP surface checked directly: discovery (legacy and aggregated), OpenAPI v3, Table
// output, watch semantics (resourceVersion replay, selectors, bookmarks, the streaming list with its
// initial-events-end bookmark, 410 Gone), content types, and persistence across a restart.

/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-call, @typescript-eslint/no-unsafe-return --
   the tests assert on parsed JSON of many shapes; typing each reply would only restate the assertions. */
import { request } from 'node:https';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeSandbox } from '../../../src/sandbox/kube/index.js';
import { startKubeApiServer } from '../../../src/sandbox/kube/index.js';
import { widget, WIDGET_CRD } from './helpers.js';

let kube: KubeSandbox;

// Parsed JSON in assertions: loosely typed on purpose (the shapes are what the tests check).
type Json = any;

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json: () => Json;
}

function call(
  method: string,
  path: string,
  options: { body?: unknown; headers?: Record<string, string>; raw?: string; sandbox?: KubeSandbox } = {},
): Promise<Reply> {
  const target = options.sandbox ?? kube;
  return new Promise((resolve, reject) => {
    const req = request(
      `${target.url}${path}`,
      {
        method,
        ca: target.caPem,
        headers: {
          Authorization: `Bearer ${target.token}`,
          'Content-Type': 'application/json',
          ...options.headers,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            text,
            json: (): Json => JSON.parse(text),
          });
        });
      },
    );
    req.on('error', reject);
    req.end(options.raw ?? (options.body === undefined ? undefined : JSON.stringify(options.body)));
  });
}

/** Reads a watch stream until `count` events arrived (or the server ends it). */
function watch(
  path: string,
  count: number,
  headers: Record<string, string> = {},
): Promise<{ type: string; object: Json }[]> {
  return new Promise((resolve, reject) => {
    const events: { type: string; object: Json }[] = [];
    const req = request(
      `${kube.url}${path}`,
      { ca: kube.caPem, headers: { Authorization: `Bearer ${kube.token}`, ...headers } },
      (res) => {
        let buffer = '';
        res.on('data', (c: Buffer) => {
          buffer += c.toString('utf8');
          let newline: number;
          while ((newline = buffer.indexOf('\n')) >= 0) {
            events.push(JSON.parse(buffer.slice(0, newline)) as { type: string; object: Json });
            buffer = buffer.slice(newline + 1);
            if (events.length >= count) {
              req.destroy();
              resolve(events);
              return;
            }
          }
        });
        res.on('end', () => resolve(events));
      },
    );
    req.setTimeout(10_000, () => {
      req.destroy();
      resolve(events);
    });
    req.on('error', (err) => (events.length >= count ? resolve(events) : reject(err)));
    req.end();
  });
}

beforeAll(async () => {
  kube = await startKubeApiServer({ crds: [WIDGET_CRD], bookmarkIntervalMs: 100 });
  kube.createObject(widget('a'));
  kube.createObject(widget('b', { size: 2 }, { labels: { tier: 'gold' } }));
});
afterAll(async () => {
  await kube?.close();
});

describe('discovery', () => {
  it('serves /version, /api, /apis and group versions', async () => {
    expect((await call('GET', '/version')).json()).toMatchObject({ major: '1', minor: '35' });
    expect((await call('GET', '/api')).json()).toMatchObject({ kind: 'APIVersions', versions: ['v1'] });
    const groups = (await call('GET', '/apis')).json();
    expect(groups.groups.map((g: { name: string }) => g.name)).toEqual(
      expect.arrayContaining(['apiextensions.k8s.io', 'coordination.k8s.io', 'events.k8s.io', 'example.io']),
    );
    const widgets = (await call('GET', '/apis/example.io/v1')).json();
    expect(widgets.resources).toEqual([
      expect.objectContaining({ name: 'widgets', kind: 'Widget', namespaced: true, shortNames: ['wd'] }),
      expect.objectContaining({ name: 'widgets/status', verbs: ['get', 'patch', 'update'] }),
    ]);
    expect((await call('GET', '/apis/nope.io/v1')).status).toBe(404);
  });

  it('answers the aggregated form when asked for it', async () => {
    const accept =
      'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json';
    const reply = await call('GET', '/apis', { headers: { Accept: accept } });
    expect(reply.headers['content-type']).toBe(
      'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList',
    );
    const example = reply
      .json()
      .items.find((i: { metadata: { name: string } }) => i.metadata.name === 'example.io');
    expect(example.versions[0].resources[0]).toMatchObject({
      resource: 'widgets',
      responseKind: { group: 'example.io', version: 'v1', kind: 'Widget' },
      scope: 'Namespaced',
      subresources: [{ subresource: 'status', verbs: ['get', 'patch', 'update'] }],
    });
    const core = (await call('GET', '/api', { headers: { Accept: accept } })).json();
    expect(core.items[0].metadata.name).toBe('');
  });

  it('publishes OpenAPI v3 documents that declare fieldValidation on PATCH', async () => {
    const index = (await call('GET', '/openapi/v3')).json();
    const url = index.paths['apis/example.io/v1'].serverRelativeURL as string;
    expect(url).toMatch(/^\/openapi\/v3\/apis\/example\.io\/v1\?hash=[0-9A-F]{128}$/);
    const doc = (await call('GET', url)).json();
    const item = doc.paths['/apis/example.io/v1/namespaces/{namespace}/widgets/{name}'];
    expect(item.patch['x-kubernetes-group-version-kind']).toEqual({
      group: 'example.io',
      version: 'v1',
      kind: 'Widget',
    });
    expect(item.parameters.map((p: { name: string }) => p.name)).toContain('fieldValidation');
    expect(doc.components.schemas['io.example.v1.Widget']['x-kubernetes-group-version-kind']).toEqual([
      { group: 'example.io', version: 'v1', kind: 'Widget' },
    ]);
  });

  it('requires the token except for /version and health checks', async () => {
    const anonymous = { Authorization: '' };
    expect((await call('GET', '/api/v1/namespaces', { headers: anonymous })).status).toBe(401);
    expect((await call('GET', '/healthz', { headers: anonymous })).text).toBe('ok');
    expect((await call('GET', '/version', { headers: anonymous })).status).toBe(200);
  });
});

describe('Table output', () => {
  const accept = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json';

  it('renders printer columns, including a JSONPath filter, for lists and single objects', async () => {
    await call('PATCH', '/apis/example.io/v1/namespaces/default/widgets/a/status', {
      headers: { 'Content-Type': 'application/merge-patch+json' },
      body: { status: { conditions: [{ type: 'Ready', status: 'False', reason: 'Waiting' }] } },
    });
    const table = (
      await call('GET', '/apis/example.io/v1/namespaces/default/widgets', { headers: { Accept: accept } })
    ).json();
    expect(table.kind).toBe('Table');
    expect(table.columnDefinitions.map((c: { name: string }) => c.name)).toEqual([
      'Name',
      'Ready',
      'Size',
      'Age',
    ]);
    expect(table.rows.map((r: { cells: unknown[] }) => r.cells.slice(0, 3))).toEqual([
      ['a', 'False', 3],
      ['b', null, 2],
    ]);
    expect(table.rows[0].cells[3]).toMatch(/^\d+s$/);
    expect(table.rows[0].object).toMatchObject({ kind: 'PartialObjectMetadata', metadata: { name: 'a' } });
    const one = (
      await call('GET', '/apis/example.io/v1/namespaces/default/widgets/b?includeObject=None', {
        headers: { Accept: accept },
      })
    ).json();
    expect(one.rows).toEqual([{ cells: ['b', null, 2, expect.stringMatching(/s$/)] }]);
    const secrets = (await call('GET', '/api/v1/namespaces', { headers: { Accept: accept } })).json();
    expect(secrets.columnDefinitions.map((c: { name: string }) => c.name)).toEqual(['Name', 'Status', 'Age']);
  });
});

describe('watch', () => {
  const base = '/apis/example.io/v1/namespaces/default/widgets';

  it('replays changes after a resourceVersion, honouring label selectors as ADDED/DELETED transitions', async () => {
    const list = (await call('GET', base)).json();
    const rv = list.metadata.resourceVersion as string;
    const pending = watch(`${base}?watch=true&resourceVersion=${rv}&labelSelector=tier%3Dgold`, 3);
    await new Promise((r) => setTimeout(r, 50));
    const patch = (name: string, labels: Record<string, string | null>) =>
      call('PATCH', `${base}/${name}`, {
        headers: { 'Content-Type': 'application/merge-patch+json' },
        body: { metadata: { labels } },
      });
    await patch('a', { tier: 'gold' }); // enters the selection
    await patch('b', { tier: null }); // leaves it
    await patch('a', { extra: 'x' }); // changes within it
    const events = await pending;
    expect(events.map((e) => [e.type, e.object.metadata.name])).toEqual([
      ['ADDED', 'a'],
      ['DELETED', 'b'],
      ['MODIFIED', 'a'],
    ]);
  });

  it('streams the initial state, then the initial-events-end bookmark (sendInitialEvents)', async () => {
    const events = await watch(
      `${base}?watch=true&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true`,
      3,
    );
    expect(events.map((e) => e.type)).toEqual(['ADDED', 'ADDED', 'BOOKMARK']);
    expect(events[2]!.object.metadata.annotations).toEqual({ 'k8s.io/initial-events-end': 'true' });
    const bad = await call('GET', `${base}?watch=true&sendInitialEvents=true`);
    expect(bad.status).toBe(422);
  });

  it('sends periodic bookmarks when allowed', async () => {
    const list = (await call('GET', base)).json();
    const events = await watch(
      `${base}?watch=true&allowWatchBookmarks=true&resourceVersion=${list.metadata.resourceVersion}`,
      1,
    );
    expect(events[0]).toMatchObject({
      type: 'BOOKMARK',
      object: { kind: 'Widget', metadata: { resourceVersion: list.metadata.resourceVersion } },
    });
  });

  it('answers a compacted resourceVersion with an ERROR event carrying 410 Expired, then ends', async () => {
    const list = (await call('GET', base)).json();
    kube.createObject(widget('c'));
    kube.faults.compact();
    const events = await watch(`${base}?watch=true&resourceVersion=${list.metadata.resourceVersion}`, 2);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      type: 'ERROR',
      object: { kind: 'Status', code: 410, reason: 'Expired' },
    });
    expect(events[0]!.object.message).toMatch(/^too old resource version: \d+ \(\d+\)$/);
  });

  it('renders watch events as Table rows when asked', async () => {
    const events = await watch(`${base}?watch=true&fieldSelector=metadata.name%3Da`, 1, {
      Accept: 'application/json;as=Table;v=v1;g=meta.k8s.io',
    });
    expect(events[0]!.object.kind).toBe('Table');
    expect(events[0]!.object.rows[0].cells[0]).toBe('a');
    expect(events[0]!.object.columnDefinitions).toHaveLength(4);
  });
});

describe('content types', () => {
  const base = '/apis/example.io/v1/namespaces/default/widgets';

  it('rejects strategic merge patch for custom resources with 415 and accepts it for built-ins', async () => {
    const cr = await call('PATCH', `${base}/a`, {
      headers: { 'Content-Type': 'application/strategic-merge-patch+json' },
      body: {},
    });
    expect(cr.status).toBe(415);
    await call('POST', '/api/v1/namespaces/default/configmaps', {
      body: { metadata: { name: 'cm' }, data: { a: '1', b: '2' } },
    });
    const patched = await call('PATCH', '/api/v1/namespaces/default/configmaps/cm', {
      headers: { 'Content-Type': 'application/strategic-merge-patch+json' },
      body: { data: { a: null, c: '3' } },
    });
    expect(patched.json().data).toEqual({ b: '2', c: '3' });
  });

  it('warns about unknown fields by default and rejects them with fieldValidation=Strict', async () => {
    const warn = await call('POST', base, { body: widget('warned', { size: 1, extra: true }) });
    expect(warn.status).toBe(201);
    expect(warn.headers.warning).toBe('299 - "unknown field \\"spec.extra\\""');
    const strict = await call('POST', `${base}?fieldValidation=Strict`, {
      body: widget('strict', { size: 1, extra: true }),
    });
    expect(strict.status).toBe(400);
    expect(strict.json().message).toContain('strict decoding error: unknown field "spec.extra"');
  });

  it('applies server-side apply YAML and requires a field manager', async () => {
    const yaml = 'apiVersion: example.io/v1\nkind: Widget\nmetadata:\n  name: yaml\nspec:\n  size: 2\n';
    const headers = { 'Content-Type': 'application/apply-patch+yaml' };
    expect((await call('PATCH', `${base}/yaml`, { headers, raw: yaml })).status).toBe(422);
    const created = await call('PATCH', `${base}/yaml?fieldManager=me`, { headers, raw: yaml });
    expect(created.status).toBe(201);
    expect(created.json().metadata.managedFields).toEqual([
      expect.objectContaining({
        manager: 'me',
        operation: 'Apply',
        fieldsV1: { 'f:spec': { 'f:size': {} } },
      }),
    ]);
  });
});

describe('verbs', () => {
  it('refuses verbs a resource does not serve with 405, and answers an immediate delete with a Success Status', async () => {
    expect((await call('DELETE', '/api/v1/namespaces')).status).toBe(405);
    expect((await call('DELETE', '/apis/example.io/v1/namespaces/default/widgets/a/status')).status).toBe(
      405,
    );
    kube.createObject(widget('short-lived'));
    const deleted = await call('DELETE', '/apis/example.io/v1/namespaces/default/widgets/short-lived');
    expect(deleted.status).toBe(200);
    expect(deleted.json()).toMatchObject({
      kind: 'Status',
      status: 'Success',
      details: { name: 'short-lived', group: 'example.io', kind: 'widgets' },
    });
  });
});

describe('CRD updates', () => {
  it('a no-op update of a CRD keeps its resourceVersion and condition times', async () => {
    const path = '/apis/apiextensions.k8s.io/v1/customresourcedefinitions/widgets.example.io';
    const before = (await call('GET', path)).json();
    const after = (
      await call('PATCH', path, {
        headers: { 'Content-Type': 'application/merge-patch+json' },
        body: { spec: { names: { shortNames: ['wd'] } } },
      })
    ).json();
    expect(after.metadata.resourceVersion).toBe(before.metadata.resourceVersion);
    const changed = (
      await call('PATCH', path, {
        headers: { 'Content-Type': 'application/merge-patch+json' },
        body: { metadata: { labels: { touched: 'yes' } } },
      })
    ).json();
    expect(changed.metadata.resourceVersion).not.toBe(before.metadata.resourceVersion);
    expect(changed.status.conditions).toEqual(before.status.conditions);
  });
});

describe('watch faults', () => {
  const base = '/apis/example.io/v1/namespaces/default/widgets';

  it('ends a watch after dropAfterMs, answers `gone` with ERROR 410, and delays requests', async () => {
    const drop = kube.faults.inject({ verb: 'watch', times: 1, action: { dropAfterMs: 50 } });
    const dropped = await watch(`${base}?watch=true`, 100);
    expect(dropped.map((e) => e.type).every((t) => t === 'ADDED')).toBe(true);
    expect(drop.hits).toBe(1);
    kube.faults.inject({ verb: 'watch', times: 1, action: { gone: true } });
    const gone = await watch(`${base}?watch=true&resourceVersion=1`, 100);
    expect(gone).toEqual([
      { type: 'ERROR', object: expect.objectContaining({ code: 410, reason: 'Expired' }) },
    ]);
    const delay = kube.faults.inject({
      verb: 'get',
      resource: 'widgets.example.io',
      times: 1,
      action: { delayMs: 30 },
    });
    expect((await call('GET', `${base}/a`)).status).toBe(200);
    expect(delay.hits).toBe(1);
    kube.faults.clear();
  });
});

describe('plain http', () => {
  it('serves http when TLS is off, for clients that skip TLS verification', async () => {
    const plain = await startKubeApiServer({ tls: false, token: 't0k3n' });
    try {
      expect(plain.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(plain.caPem).toBeUndefined();
      const reply = await fetch(`${plain.url}/api/v1/namespaces`, {
        headers: { Authorization: 'Bearer t0k3n' },
      });
      expect(reply.status).toBe(200);
      expect(plain.kubeconfigYaml()).toContain('insecure-skip-tls-verify: true');
    } finally {
      await plain.close();
    }
  });
});

describe('persistence', () => {
  it('reloads objects, CRDs and the resourceVersion from the state file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kvr-kube-state-'));
    const stateFile = join(dir, 'state.json');
    try {
      const first = await startKubeApiServer({ stateFile, crds: [WIDGET_CRD] });
      first.createObject(widget('kept'));
      const rv = first.api.store.currentRevision();
      await first.close();
      const second = await startKubeApiServer({ stateFile, crds: [WIDGET_CRD] });
      try {
        const got = await call('GET', '/apis/example.io/v1/namespaces/default/widgets/kept', {
          sandbox: second,
        });
        expect(got.status).toBe(200);
        expect(Number(got.json().metadata.resourceVersion)).toBeLessThanOrEqual(rv);
        expect(second.api.store.currentRevision()).toBe(rv);
      } finally {
        await second.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
