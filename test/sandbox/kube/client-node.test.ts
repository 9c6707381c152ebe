// Conformance through @kubernetes/client-node 2.0.1: informers over list+watch (dropped watches, 410
// relists), optimistic concurrency, the status subresource, server-side apply, finalizers, validation,
// pagination, built-in kinds and injected faults.

import {
  ApiException,
  CoordinationV1Api,
  CoreV1Api,
  CustomObjectsApi,
  EventsV1Api,
  KubeConfig,
  KubernetesObjectApi,
  ListWatch,
  PatchStrategy,
  Watch,
  setHeaderOptions,
} from '@kubernetes/client-node';
import type { KubernetesObject } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeSandbox } from '../../../src/sandbox/kube/index.js';
import { startKubeApiServer } from '../../../src/sandbox/kube/index.js';
import { until, widget, WIDGET_CRD } from './helpers.js';

let kube: KubeSandbox;
let kc: KubeConfig;
let custom: CustomObjectsApi;
let core: CoreV1Api;

const W = { group: 'example.io', version: 'v1', plural: 'widgets', namespace: 'default' };
const merge = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);
const apply = setHeaderOptions('Content-Type', PatchStrategy.ServerSideApply);

type Widget = KubernetesObject & { spec: Record<string, unknown>; status?: Record<string, unknown> };

interface StatusBody {
  kind?: string;
  status?: string;
  message?: string;
  reason?: string;
  code?: number;
  details?: {
    name?: string;
    group?: string;
    kind?: string;
    causes?: { type?: string; field?: string; message?: string }[];
  };
}

async function failure(promise: Promise<unknown>): Promise<{ code: number; body: StatusBody }> {
  try {
    await promise;
  } catch (err: unknown) {
    if (err instanceof ApiException) {
      const raw: unknown = err.body;
      const body = (typeof raw === 'string' && raw ? JSON.parse(raw) : (raw ?? {})) as StatusBody;
      return { code: err.code, body };
    }
    throw err;
  }
  throw new Error('expected the call to fail');
}

beforeAll(async () => {
  kube = await startKubeApiServer({ crds: [WIDGET_CRD], bookmarkIntervalMs: 200 });
  kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'sandbox', server: kube.url, caData: Buffer.from(kube.caPem!).toString('base64') }],
    users: [{ name: 'u', token: kube.token }],
    contexts: [{ name: 'ctx', cluster: 'sandbox', user: 'u', namespace: 'default' }],
    currentContext: 'ctx',
  });
  custom = kc.makeApiClient(CustomObjectsApi);
  core = kc.makeApiClient(CoreV1Api);
});
afterAll(async () => {
  await kube?.close();
});

describe('authentication', () => {
  it('rejects a wrong token with 401 Unauthorized', async () => {
    const bad = new KubeConfig();
    bad.loadFromOptions({
      clusters: [{ name: 's', server: kube.url, caData: Buffer.from(kube.caPem!).toString('base64') }],
      users: [{ name: 'u', token: 'wrong' }],
      contexts: [{ name: 'c', cluster: 's', user: 'u' }],
      currentContext: 'c',
    });
    const { code } = await failure(bad.makeApiClient(CoreV1Api).listNamespace());
    expect(code).toBe(401);
    const raw = await fetchWithCa('/api/v1/namespaces', 'wrong');
    expect(raw.status).toBe(401);
    const body = (await raw.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ kind: 'Status', reason: 'Unauthorized', code: 401 });
  });
});

describe('informer over list+watch', () => {
  it('survives a dropped watch and a 410 Gone by relisting', async () => {
    await custom.createNamespacedCustomObject({ ...W, body: widget('inf-a') });
    await custom.createNamespacedCustomObject({ ...W, body: widget('inf-b') });
    const path = '/apis/example.io/v1/namespaces/default/widgets';
    const listFn = () =>
      custom.listNamespacedCustomObject(W) as Promise<{
        metadata: { resourceVersion: string };
        items: Widget[];
      }>;
    const informer = new ListWatch<Widget>(path, new Watch(kc), listFn, false, undefined, undefined, {
      delayFn: async () => {},
    });
    const deleted: string[] = [];
    informer.on('delete', (o) => deleted.push(o.metadata!.name!));
    await informer.start();
    await until(
      () => kube.counters.count({ verb: 'watch', resource: 'widgets.example.io' }) > 0 || undefined,
    );
    const names = () =>
      informer
        .list('default')
        .map((o) => o.metadata!.name)
        .sort();
    expect(names()).toEqual(['inf-a', 'inf-b']);
    const lists = () => kube.counters.count({ verb: 'list', resource: 'widgets.example.io' });
    const watches = () => kube.counters.count({ verb: 'watch', resource: 'widgets.example.io' });
    const listsBefore = lists();

    // 1. The server ends the watch: the informer re-watches from its resourceVersion, no relist.
    const watchesBefore = watches();
    await until(() => kube.faults.dropWatches() > 0 || undefined);
    await until(() => watches() > watchesBefore || undefined);
    await custom.createNamespacedCustomObject({ ...W, body: widget('inf-c') });
    await until(() => informer.get('inf-c', 'default'));
    expect(lists()).toBe(listsBefore);

    // 2. History is compacted while the watch is down and an object is deleted in the gap:
    //    the re-watch gets ERROR 410, the informer relists and notices the deletion.
    kube.faults.inject({ verb: 'watch', resource: 'widgets.example.io', times: 1, action: { status: 503 } });
    const errors: unknown[] = [];
    informer.on('error', (err) => errors.push(err));
    kube.faults.dropWatches();
    // A non-410 error stops client-node's informer; the owner restarts it (after the gap, here).
    await until(() => errors.length > 0 || undefined);
    await custom.deleteNamespacedCustomObject({ ...W, name: 'inf-a' });
    kube.faults.compact();
    await informer.start();
    await until(() => lists() > listsBefore || undefined);
    await until(() => (!informer.get('inf-a', 'default') ? true : undefined));
    expect(deleted).toContain('inf-a');
    expect(names()).toEqual(['inf-b', 'inf-c']);

    // 3. An open watch told 410 Expired also relists.
    const listsMid = lists();
    await until(() => kube.faults.expireWatches() > 0 || undefined);
    await until(() => lists() > listsMid || undefined);
    await custom.createNamespacedCustomObject({ ...W, body: widget('inf-d') });
    await until(() => informer.get('inf-d', 'default'));
    await informer.stop();
  });
});

describe('writes', () => {
  it('create assigns uid, timestamps, generation 1, and generateName; duplicates are 409 AlreadyExists', async () => {
    const created = (await custom.createNamespacedCustomObject({
      ...W,
      body: { ...widget(''), metadata: { generateName: 'gen-', namespace: 'default' } },
    })) as Widget;
    expect(created.metadata!.name).toMatch(/^gen-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    expect(created.metadata!.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(created.metadata!.generation).toBe(1);
    expect(created.metadata!.creationTimestamp).toBeDefined();
    const dup = await failure(
      custom.createNamespacedCustomObject({ ...W, body: widget(created.metadata!.name!) }),
    );
    expect(dup.code).toBe(409);
    expect(dup.body).toMatchObject({
      reason: 'AlreadyExists',
      message: `widgets.example.io "${created.metadata!.name}" already exists`,
    });
    const noNs = await failure(
      custom.createNamespacedCustomObject({
        ...W,
        namespace: 'nope',
        body: { ...widget('x'), metadata: { name: 'x' } },
      }),
    );
    expect(noNs.code).toBe(404);
    expect(noNs.body.message).toBe('namespaces "nope" not found');
  });

  it('update with a stale resourceVersion is 409 Conflict', async () => {
    const created = (await custom.createNamespacedCustomObject({ ...W, body: widget('occ') })) as Widget;
    const first = { ...created, spec: { size: 4 } };
    const updated = (await custom.replaceNamespacedCustomObject({
      ...W,
      name: 'occ',
      body: first,
    })) as Widget;
    expect(Number(updated.metadata!.resourceVersion)).toBeGreaterThan(
      Number(created.metadata!.resourceVersion),
    );
    const stale = await failure(
      custom.replaceNamespacedCustomObject({ ...W, name: 'occ', body: { ...created, spec: { size: 5 } } }),
    );
    expect(stale.code).toBe(409);
    expect(stale.body).toMatchObject({
      reason: 'Conflict',
      message:
        'Operation cannot be fulfilled on widgets.example.io "occ": the object has been modified; please apply your changes to the latest version and try again',
    });
    // A merge patch carrying a stale resourceVersion is a precondition too.
    const patch = { metadata: { resourceVersion: created.metadata!.resourceVersion }, spec: { size: 6 } };
    expect(
      (await failure(custom.patchNamespacedCustomObject({ ...W, name: 'occ', body: patch }, merge))).code,
    ).toBe(409);
  });

  it('keeps spec and status writes apart; generation moves on spec changes only', async () => {
    const created = (await custom.createNamespacedCustomObject({
      ...W,
      body: { ...widget('st'), status: { phase: 'ignored-on-create' } },
    })) as Widget;
    expect(created.status).toBeUndefined();
    const withStatus = (await custom.patchNamespacedCustomObjectStatus(
      { ...W, name: 'st', body: { spec: { size: 9 }, status: { phase: 'Ready', observedGeneration: 1 } } },
      merge,
    )) as Widget;
    expect(withStatus.status).toEqual({ phase: 'Ready', observedGeneration: 1 });
    expect(withStatus.spec.size).toBe(3);
    expect(withStatus.metadata!.generation).toBe(1);
    const mainWrite = (await custom.patchNamespacedCustomObject(
      { ...W, name: 'st', body: { spec: { size: 4 }, status: { phase: 'Hacked' } } },
      merge,
    )) as Widget;
    expect(mainWrite.status).toEqual({ phase: 'Ready', observedGeneration: 1 });
    expect(mainWrite.metadata!.generation).toBe(2);
    const labelOnly = (await custom.patchNamespacedCustomObject(
      { ...W, name: 'st', body: { metadata: { labels: { a: 'b' } } } },
      merge,
    )) as Widget;
    expect(labelOnly.metadata!.generation).toBe(2);
    // A write that changes nothing keeps the resourceVersion.
    const noop = (await custom.patchNamespacedCustomObject(
      { ...W, name: 'st', body: { spec: { size: 4 } } },
      merge,
    )) as Widget;
    expect(noop.metadata!.resourceVersion).toBe(labelOnly.metadata!.resourceVersion);
    // JSON patch (client-node's default content type) on the status subresource.
    const jp = (await custom.patchNamespacedCustomObjectStatus({
      ...W,
      name: 'st',
      body: [{ op: 'replace', path: '/status/phase', value: 'Progressing' }],
    })) as Widget;
    expect(jp.status!.phase).toBe('Progressing');
  });

  it('server-side apply tracks ownership and reports conflicts unless forced', async () => {
    const body = {
      apiVersion: 'example.io/v1',
      kind: 'Widget',
      metadata: { name: 'ssa' },
      spec: { size: 2, tags: ['x'] },
    };
    const created = (await custom.patchNamespacedCustomObject(
      { ...W, name: 'ssa', body, fieldManager: 'controller' },
      apply,
    )) as Widget;
    expect(created.spec).toEqual({ size: 2, tags: ['x'], color: 'red' });
    const conflict = await failure(
      custom.patchNamespacedCustomObject(
        { ...W, name: 'ssa', body: { ...body, spec: { size: 5 } }, fieldManager: 'human' },
        apply,
      ),
    );
    expect(conflict.code).toBe(409);
    expect(conflict.body.message).toBe(
      'Apply failed with 1 conflict: conflict with "controller": .spec.size',
    );
    expect(conflict.body.details!.causes).toEqual([
      { type: 'FieldManagerConflict', message: 'conflict with "controller"', field: '.spec.size' },
    ]);
    // Same value: shared ownership, no conflict.
    await custom.patchNamespacedCustomObject(
      { ...W, name: 'ssa', body: { ...body, spec: { size: 2 } }, fieldManager: 'human' },
      apply,
    );
    // The controller stops applying tags: it owned them alone, so they are removed.
    const pruned = (await custom.patchNamespacedCustomObject(
      { ...W, name: 'ssa', body: { ...body, spec: { size: 2 } }, fieldManager: 'controller' },
      apply,
    )) as Widget;
    expect(pruned.spec.tags).toBeUndefined();
    const forced = (await custom.patchNamespacedCustomObject(
      { ...W, name: 'ssa', body: { ...body, spec: { size: 6 } }, fieldManager: 'human', force: true },
      apply,
    )) as Widget;
    expect(forced.spec.size).toBe(6);
    const managers = forced.metadata!.managedFields!.map((m): unknown[] => [
      m.manager,
      m.operation,
      m.fieldsV1 as unknown,
    ]);
    expect(managers).toContainEqual(['human', 'Apply', { 'f:spec': { 'f:size': {} } }]);
    expect(managers.find(([name]) => name === 'controller')).toBeUndefined();
    // Status applied by the controller on the status subresource.
    const status = (await custom.patchNamespacedCustomObjectStatus(
      {
        ...W,
        name: 'ssa',
        body: {
          apiVersion: 'example.io/v1',
          kind: 'Widget',
          metadata: { name: 'ssa' },
          status: { conditions: [{ type: 'Ready', status: 'True' }] },
        },
        fieldManager: 'controller',
        force: true,
      },
      apply,
    )) as Widget;
    expect(status.status).toEqual({ conditions: [{ type: 'Ready', status: 'True' }] });
    expect(status.metadata!.managedFields!.find((m) => m.subresource === 'status')?.fieldsV1).toEqual({
      'f:status': {
        'f:conditions': { '.': {}, 'k:{"type":"Ready"}': { '.': {}, 'f:status': {}, 'f:type': {} } },
      },
    });
  });

  it('deletion waits for finalizers and the watch sees MODIFIED then DELETED', async () => {
    await custom.createNamespacedCustomObject({
      ...W,
      body: widget('fin', { size: 1 }, { finalizers: ['example.io/cleanup'] }),
    });
    const events: string[] = [];
    const watch = await new Watch(kc).watch(
      '/apis/example.io/v1/namespaces/default/widgets',
      { fieldSelector: 'metadata.name=fin' },
      (type: string) => events.push(type),
      () => {},
    );
    await until(() => events.includes('ADDED') || undefined);
    const deleting = (await custom.deleteNamespacedCustomObject({ ...W, name: 'fin' })) as Widget;
    expect(deleting.metadata!.deletionTimestamp).toBeDefined();
    expect(deleting.metadata!.generation).toBe(2);
    const stillThere = (await custom.getNamespacedCustomObject({ ...W, name: 'fin' })) as Widget;
    expect(stillThere.metadata!.finalizers).toEqual(['example.io/cleanup']);
    const refused = await failure(
      custom.patchNamespacedCustomObject(
        { ...W, name: 'fin', body: { metadata: { finalizers: ['example.io/cleanup', 'new'] } } },
        merge,
      ),
    );
    expect(refused.code).toBe(422);
    await custom.patchNamespacedCustomObject(
      { ...W, name: 'fin', body: { metadata: { finalizers: null } } },
      merge,
    );
    expect((await failure(custom.getNamespacedCustomObject({ ...W, name: 'fin' }))).code).toBe(404);
    await until(() => events.includes('DELETED') || undefined);
    expect(events).toEqual(['ADDED', 'MODIFIED', 'DELETED']);
    watch.abort();
  });

  it('validation failures are 422 Invalid with causes naming the fields', async () => {
    const { code, body } = await failure(
      custom.createNamespacedCustomObject({ ...W, body: widget('inv', { color: 'green' }) }),
    );
    expect(code).toBe(422);
    expect(body).toMatchObject({ kind: 'Status', status: 'Failure', reason: 'Invalid', code: 422 });
    expect(body.details).toMatchObject({ name: 'inv', group: 'example.io', kind: 'Widget' });
    expect(body.details!.causes).toEqual([
      { type: 'FieldValueRequired', message: 'Required value', field: 'spec.size' },
      {
        type: 'FieldValueNotSupported',
        message: 'Unsupported value: "green": supported values: "red", "blue"',
        field: 'spec.color',
      },
      {
        type: 'FieldValueInvalid',
        message:
          'Invalid value: "null": some validation rules were not checked because the object was invalid; correct the existing errors to complete validation',
      },
    ]);
    expect(body.message).toBe(
      'Widget.example.io "inv" is invalid: [spec.size: Required value, spec.color: Unsupported value: "green": supported values: "red", "blue", <nil>: Invalid value: "null": some validation rules were not checked because the object was invalid; correct the existing errors to complete validation]',
    );
  });

  it('dryRun=All validates and answers without storing', async () => {
    const dry = (await custom.createNamespacedCustomObject({
      ...W,
      body: widget('dry'),
      dryRun: 'All',
    })) as Widget;
    expect(dry.spec.color).toBe('red');
    expect((await failure(custom.getNamespacedCustomObject({ ...W, name: 'dry' }))).code).toBe(404);
  });
});

describe('reads', () => {
  it('lists with limit/continue, label and field selectors', async () => {
    for (const i of [1, 2, 3, 4, 5]) {
      await core.createNamespacedSecret({
        namespace: 'default',
        body: {
          metadata: { name: `page-${i}`, labels: { page: 'yes', odd: String(i % 2 === 1) } },
          stringData: { k: 'v' },
        },
      });
    }
    const first = await core.listNamespacedSecret({
      namespace: 'default',
      labelSelector: 'page=yes',
      limit: 2,
    });
    expect(first.items.map((s) => s.metadata!.name)).toEqual(['page-1', 'page-2']);
    expect(first.metadata!.remainingItemCount).toBe(3);
    const second = await core.listNamespacedSecret({
      namespace: 'default',
      labelSelector: 'page=yes',
      limit: 2,
      _continue: first.metadata!._continue!,
    });
    expect(second.items.map((s) => s.metadata!.name)).toEqual(['page-3', 'page-4']);
    const third = await core.listNamespacedSecret({
      namespace: 'default',
      labelSelector: 'page=yes',
      limit: 2,
      _continue: second.metadata!._continue!,
    });
    expect(third.items.map((s) => s.metadata!.name)).toEqual(['page-5']);
    expect(third.metadata!._continue).toBeUndefined();
    const odd = await core.listNamespacedSecret({
      namespace: 'default',
      labelSelector: 'page=yes,odd in (true)',
    });
    expect(odd.items.map((s) => s.metadata!.name)).toEqual(['page-1', 'page-3', 'page-5']);
    const byName = await core.listSecretForAllNamespaces({ fieldSelector: 'metadata.name=page-4' });
    expect(byName.items.map((s) => s.metadata!.name)).toEqual(['page-4']);
    const notDefault = await core.listSecretForAllNamespaces({
      fieldSelector: 'metadata.namespace!=default',
    });
    expect(notDefault.items).toEqual([]);
    const bad = await failure(
      core.listNamespacedSecret({ namespace: 'default', fieldSelector: 'spec.nope=1' }),
    );
    expect(bad.code).toBe(400);
    expect(bad.body.message).toBe('field label not supported: spec.nope');
    // A continue token from before a compaction is 410 Gone.
    await core.createNamespacedSecret({
      namespace: 'default',
      body: { metadata: { name: 'page-6', labels: { page: 'yes' } } },
    });
    kube.faults.compact();
    const expired = await failure(
      core.listNamespacedSecret({ namespace: 'default', limit: 2, _continue: first.metadata!._continue! }),
    );
    expect(expired.code).toBe(410);
    expect(expired.body.reason).toBe('Expired');
  });

  it('stores Secret stringData as base64 data', async () => {
    const secret = await core.readNamespacedSecret({ namespace: 'default', name: 'page-1' });
    expect(secret.data).toEqual({ k: Buffer.from('v').toString('base64') });
    expect(secret.type).toBe('Opaque');
  });
});

describe('generic client', () => {
  it('KubernetesObjectApi maps kinds through discovery and server-side applies', async () => {
    const objects = KubernetesObjectApi.makeApiClient(kc);
    const applied = await objects.patch<Widget>(
      {
        apiVersion: 'example.io/v1',
        kind: 'Widget',
        metadata: { name: 'generic', namespace: 'default' },
        spec: { size: 8 },
      },
      undefined,
      undefined,
      'generic-client',
      true,
      PatchStrategy.ServerSideApply,
    );
    expect(applied.metadata!.managedFields![0]!.manager).toBe('generic-client');
    const read = await objects.read<Widget>({
      apiVersion: 'example.io/v1',
      kind: 'Widget',
      metadata: { name: 'generic', namespace: 'default' },
    });
    expect(read.spec.size).toBe(8);
    const lease = await objects.create({
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: { name: 'generic', namespace: 'default' },
      spec: { holderIdentity: 'x' },
    } as KubernetesObject);
    expect(lease.metadata!.uid).toBeDefined();
  });
});

describe('built-in kinds', () => {
  it('serves Leases with optimistic concurrency', async () => {
    const leases = kc.makeApiClient(CoordinationV1Api);
    const lease = await leases.createNamespacedLease({
      namespace: 'default',
      body: {
        metadata: { name: 'leader' },
        spec: { holderIdentity: 'a', leaseDurationSeconds: 15, renewTime: new Date() },
      },
    });
    const renewed = await leases.replaceNamespacedLease({
      namespace: 'default',
      name: 'leader',
      body: {
        ...lease,
        spec: { ...lease.spec, holderIdentity: 'a', renewTime: new Date(Date.now() + 1000) },
      },
    });
    expect(renewed.spec!.holderIdentity).toBe('a');
    const stolen = await failure(
      leases.replaceNamespacedLease({
        namespace: 'default',
        name: 'leader',
        body: { ...lease, spec: { ...lease.spec, holderIdentity: 'b' } },
      }),
    );
    expect(stolen.code).toBe(409);
    const invalid = await failure(
      leases.createNamespacedLease({
        namespace: 'default',
        body: { metadata: { name: 'bad' }, spec: { leaseDurationSeconds: 0 } },
      }),
    );
    expect(invalid.code).toBe(422);
  });

  it('events.k8s.io/v1 Events are core/v1 Events too', async () => {
    const events = kc.makeApiClient(EventsV1Api);
    await events.createNamespacedEvent({
      namespace: 'default',
      body: {
        metadata: { name: 'ev1' },
        eventTime: new Date(),
        reportingController: 'kvrollover.io/operator',
        reportingInstance: 'op-0',
        action: 'Reconcile',
        reason: 'StepStarted',
        type: 'Normal',
        note: 'started GrantVaultAccess',
        regarding: { kind: 'Widget', name: 'st', namespace: 'default', apiVersion: 'example.io/v1' },
      },
    });
    const asCore = await core.readNamespacedEvent({ namespace: 'default', name: 'ev1' });
    expect(asCore).toMatchObject({
      message: 'started GrantVaultAccess',
      reportingComponent: 'kvrollover.io/operator',
      involvedObject: { kind: 'Widget', name: 'st' },
    });
    const listed = await core.listNamespacedEvent({
      namespace: 'default',
      fieldSelector: 'involvedObject.name=st,reason=StepStarted',
    });
    expect(listed.items.map((e) => e.metadata.name)).toEqual(['ev1']);
    const missing = await failure(
      events.createNamespacedEvent({
        namespace: 'default',
        body: {
          metadata: { name: 'ev2' },
          eventTime: new Date(),
          type: 'Normal',
          reason: 'X',
          action: 'Y',
        },
      }),
    );
    expect(missing.code).toBe(422);
    expect(missing.body.details!.causes!.map((c) => c.field)).toEqual([
      'reportingController',
      'reportingInstance',
    ]);
  });

  it('deleting a namespace deletes its content, waiting for finalizers', async () => {
    await core.createNamespace({ body: { metadata: { name: 'doomed' } } });
    await core.createNamespacedSecret({ namespace: 'doomed', body: { metadata: { name: 's' } } });
    await custom.createNamespacedCustomObject({
      ...W,
      namespace: 'doomed',
      body: {
        ...widget('held', { size: 1 }, { finalizers: ['x/y'] }),
        metadata: { name: 'held', finalizers: ['x/y'] },
      },
    });
    await core.deleteNamespace({ name: 'doomed' });
    const terminating = await core.readNamespace({ name: 'doomed' });
    expect(terminating.status!.phase).toBe('Terminating');
    expect((await core.listNamespacedSecret({ namespace: 'doomed' })).items).toEqual([]);
    const refused = await failure(
      core.createNamespacedSecret({ namespace: 'doomed', body: { metadata: { name: 't' } } }),
    );
    expect(refused.code).toBe(403);
    await custom.patchNamespacedCustomObject(
      { ...W, namespace: 'doomed', name: 'held', body: { metadata: { finalizers: [] } } },
      merge,
    );
    expect((await failure(core.readNamespace({ name: 'doomed' }))).code).toBe(404);
    expect((await failure(core.deleteNamespace({ name: 'default' }))).code).toBe(403);
  });
});

describe('fault injection', () => {
  it('answers 429 with Retry-After and 500 a set number of times, and counts requests', async () => {
    const throttled = kube.faults.inject({
      verb: 'get',
      resource: 'secrets',
      times: 1,
      action: { status: 429, retryAfterSeconds: 7 },
    });
    const response = await fetchWithCa(`/api/v1/namespaces/default/secrets/page-1`);
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('7');
    expect(throttled.hits).toBe(1);
    kube.faults.inject({ verb: 'list', resource: 'secrets', times: 2, action: { status: 500 } });
    expect((await failure(core.listNamespacedSecret({ namespace: 'default' }))).code).toBe(500);
    expect((await failure(core.listNamespacedSecret({ namespace: 'default' }))).code).toBe(500);
    const before = kube.counters.count({ verb: 'list', resource: 'secrets' });
    await core.listNamespacedSecret({ namespace: 'default' });
    expect(kube.counters.count({ verb: 'list', resource: 'secrets' })).toBe(before + 1);
    kube.faults.clear();
  });
});

async function fetchWithCa(path: string, token = kube.token): Promise<Response> {
  const { request } = await import('node:https');
  return new Promise((resolve, reject) => {
    const req = request(
      `${kube.url}${path}`,
      { ca: kube.caPem, headers: { Authorization: `Bearer ${token}` } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const headers = new Headers();
          for (const [k, v] of Object.entries(res.headers)) if (typeof v === 'string') headers.set(k, v);
          resolve(new Response(Buffer.concat(chunks), { status: res.statusCode ?? 0, headers }));
        });
      },
    );
    req.on('error', reject);
    req.end();
  });
}
