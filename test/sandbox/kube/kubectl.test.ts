// A real kubectl 1.35 against the emulator: discovery, OpenAPI-based field validation, apply (client- and
// server-side), printer columns, watch, status patches, wait, and deletion held by a finalizer.

import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import type { Harness } from './helpers.js';
import {
  productCrds,
  REPO_ROOT,
  requireKubectl,
  startHarness,
  until,
  widget,
  WIDGET_CRD,
} from './helpers.js';

let h: Harness;

beforeAll(async () => {
  requireKubectl();
  h = await startHarness({ bookmarkIntervalMs: 500 });
});
afterAll(async () => {
  await h?.close();
});

const ok = async (args: string[], input?: string) => {
  const result = await h.kubectl(args, input === undefined ? {} : { input });
  if (result.code !== 0)
    throw new Error(`kubectl ${args.join(' ')} failed (${result.code}): ${result.stderr}`);
  return result.stdout;
};

describe('kubectl against the emulator', () => {
  it('discovers the built-in kinds and the bootstrap namespaces', async () => {
    const out = await ok(['get', 'namespaces']);
    expect(out).toMatch(/^NAME\s+STATUS\s+AGE/);
    for (const ns of ['default', 'kube-system']) expect(out).toMatch(new RegExp(`^${ns}\\s+Active`, 'm'));
    const resources = await ok(['api-resources']);
    expect(resources).toMatch(/^leases\s+coordination\.k8s\.io\/v1\s+true\s+Lease/m);
    expect(resources).toMatch(/^events\s+ev\s+events\.k8s\.io\/v1\s+true\s+Event/m);
    expect(resources).toMatch(/^secrets\s+v1\s+true\s+Secret/m);
    expect(h.kube.counters.count({ verb: 'list', resource: 'namespaces' })).toBeGreaterThan(0);
  });

  it('applies a CRD, serves its kind, and shows the printer columns', async () => {
    expect(await ok(['apply', '-f', '-'], stringify(WIDGET_CRD))).toContain(
      'customresourcedefinition.apiextensions.k8s.io/widgets.example.io created',
    );
    const crd = JSON.parse(await ok(['get', 'crd', 'widgets.example.io', '-o', 'json'])) as {
      status: { conditions: { type: string; status: string }[] };
    };
    expect(crd.status.conditions).toEqual(
      expect.arrayContaining([expect.objectContaining({ type: 'Established', status: 'True' })]),
    );
    expect(await ok(['apply', '-f', '-'], stringify(widget('w1')))).toContain('widget.example.io/w1 created');
    await ok([
      'patch',
      'wd',
      'w1',
      '--subresource=status',
      '--type=merge',
      '-p',
      '{"status":{"conditions":[{"type":"Ready","status":"True"}]}}',
    ]);
    const table = await ok(['get', 'wd']);
    expect(table).toMatch(/^NAME\s+READY\s+SIZE\s+AGE$/m);
    expect(table).toMatch(/^w1\s+True\s+3\s+\d+s$/m);
    // The default from the schema was applied.
    expect(await ok(['get', 'widget', 'w1', '-o', 'jsonpath={.spec.color}'])).toBe('red');
    // The category and the short name resolve too.
    expect(await ok(['get', 'examples'])).toMatch(/^w1\s+True/m);
  });

  it('reports schema violations as the API server does (422 with the fields named)', async () => {
    const result = await h.kubectl(['apply', '-f', '-'], {
      input: stringify(widget('bad', { size: 30, color: 'green' })),
    });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('The Widget "bad" is invalid');
    expect(result.stderr).toContain(
      'spec.color: Unsupported value: "green": supported values: "red", "blue"',
    );
    expect(result.stderr).toContain(
      'spec.size: Invalid value: 30: spec.size in body should be less than or equal to 10',
    );
    const cel = await h.kubectl(['apply', '-f', '-'], {
      input: stringify(widget('bad', { size: 1, color: 'blue' })),
    });
    expect(cel.stderr).toContain('spec: Invalid value: "object": blue widgets are bigger');
    // kubectl's default --validate=strict becomes fieldValidation=Strict on the server.
    const unknown = await h.kubectl(['apply', '-f', '-'], {
      input: stringify(widget('bad', { size: 1, extra: 1 })),
    });
    expect(unknown.stderr).toContain('strict decoding error: unknown field "spec.extra"');
    expect((await h.kubectl(['get', 'wd', 'bad'])).code).not.toBe(0);
  });

  it('server-side apply: ownership and conflicts between field managers', async () => {
    const config = stringify(widget('w2', { size: 4 }));
    expect(await ok(['apply', '--server-side', '--field-manager=team-a', '-f', '-'], config)).toContain(
      'serverside-applied',
    );
    const conflict = await h.kubectl(['apply', '--server-side', '--field-manager=team-b', '-f', '-'], {
      input: stringify(widget('w2', { size: 5 })),
    });
    expect(conflict.code).not.toBe(0);
    expect(conflict.stderr).toContain('Apply failed with 1 conflict: conflict with "team-a": .spec.size');
    await ok(
      ['apply', '--server-side', '--field-manager=team-b', '--force-conflicts', '-f', '-'],
      stringify(widget('w2', { size: 5 })),
    );
    const live = JSON.parse(await ok(['get', 'wd', 'w2', '-o', 'json', '--show-managed-fields'])) as {
      spec: { size: number };
      metadata: { managedFields: { manager: string; fieldsV1: unknown }[] };
    };
    expect(live.spec.size).toBe(5);
    const owners = Object.fromEntries(live.metadata.managedFields.map((m) => [m.manager, m.fieldsV1]));
    expect(owners['team-b']).toEqual({ 'f:spec': { 'f:size': {} } });
    expect(owners['team-a']).toBeUndefined();
  });

  it('get -w streams changes', async () => {
    const watching = h.kubectl(['get', 'wd', '-w', '--request-timeout=3s'], { timeoutMs: 6_000 });
    await until(
      () => h.kube.counters.count({ verb: 'watch', resource: 'widgets.example.io' }) > 0 || undefined,
    );
    await ok(['patch', 'wd', 'w1', '--type=merge', '-p', '{"spec":{"size":7}}']);
    const result = await watching;
    expect(result.stdout).toMatch(/^w1\s+True\s+3\s+/m);
    expect(result.stdout).toMatch(/^w1\s+True\s+7\s+/m);
  });

  it('wait --for=condition=Ready returns once the status says so', async () => {
    await ok(['apply', '-f', '-'], stringify(widget('w3')));
    const waiting = h.kubectl(['wait', '--for=condition=Ready', 'wd/w3', '--timeout=15s'], {
      timeoutMs: 20_000,
    });
    await until(
      () => h.kube.counters.count({ verb: 'watch', resource: 'widgets.example.io' }) > 1 || undefined,
    );
    await ok([
      'patch',
      'wd',
      'w3',
      '--subresource=status',
      '--type=merge',
      '-p',
      '{"status":{"conditions":[{"type":"Ready","status":"True"}]}}',
    ]);
    const result = await waiting;
    expect(result.stdout).toContain('widget.example.io/w3 condition met');
  });

  it('delete is held by a finalizer until the finalizer is removed', async () => {
    await ok(['patch', 'wd', 'w3', '--type=merge', '-p', '{"metadata":{"finalizers":["example.io/hold"]}}']);
    expect(await ok(['delete', 'wd', 'w3', '--wait=false'])).toContain('deleted');
    const held = JSON.parse(await ok(['get', 'wd', 'w3', '-o', 'json'])) as {
      metadata: { deletionTimestamp?: string };
    };
    expect(held.metadata.deletionTimestamp).toBeDefined();
    // A blocking delete times out while the finalizer stays.
    const blocked = await h.kubectl(['delete', 'wd', 'w3', '--timeout=1s']);
    expect(blocked.code).not.toBe(0);
    await ok(['patch', 'wd', 'w3', '--type=json', '-p', '[{"op":"remove","path":"/metadata/finalizers"}]']);
    const gone = await h.kubectl(['get', 'wd', 'w3']);
    expect(gone.stderr).toContain('widgets.example.io "w3" not found');
  });

  it('applies, updates and lists Secrets with label selectors', async () => {
    const secret = {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 's1', labels: { app: 'x' } },
      stringData: { a: 'b' },
    };
    await ok(['apply', '-f', '-'], stringify(secret));
    await ok(['apply', '-f', '-'], stringify({ ...secret, stringData: { a: 'c' } }));
    expect(
      Buffer.from(await ok(['get', 'secret', 's1', '-o', 'jsonpath={.data.a}']), 'base64').toString(),
    ).toBe('c');
    expect(await ok(['get', 'secrets', '-l', 'app=x'])).toMatch(/^s1\s+Opaque\s+1\s+/m);
    expect(await ok(['get', 'secrets', '-l', 'app!=x'])).toBe('');
    const typo = await h.kubectl(['apply', '-f', '-'], {
      input: stringify({
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 's2', colour: 'x' },
        stringDta: { a: 'b' },
      }),
    });
    expect(typo.code).not.toBe(0);
    expect(typo.stderr).toContain(
      'Secret in version "v1" cannot be handled as a Secret: strict decoding error: unknown field "metadata.colour", unknown field "stringDta"',
    );
  });

  it("kubectl's typed generators (protobuf bodies) create Secrets, ConfigMaps and Namespaces", async () => {
    expect(await ok(['create', 'namespace', 'team'])).toContain('namespace/team created');
    expect(
      await ok([
        'create',
        'secret',
        'generic',
        'creds',
        '-n',
        'team',
        '--from-literal=clientSecret=s3cr3t',
        '--type=Opaque',
      ]),
    ).toContain('secret/creds created');
    const secret = JSON.parse(await ok(['get', 'secret', 'creds', '-n', 'team', '-o', 'json'])) as {
      data: Record<string, string>;
      type: string;
    };
    expect(Buffer.from(secret.data.clientSecret!, 'base64').toString()).toBe('s3cr3t');
    expect(secret.type).toBe('Opaque');
    await ok(['create', 'configmap', 'settings', '-n', 'team', '--from-literal=a=1']);
    expect(await ok(['get', 'configmap', 'settings', '-n', 'team', '-o', 'jsonpath={.data.a}'])).toBe('1');
    expect(await ok(['label', 'namespace', 'team', 'owner=me'])).toContain('labeled');
    expect(await ok(['get', 'ns', '-l', 'owner=me', '-o', 'name'])).toBe('namespace/team\n');
  });

  it('applies the product CRDs and samples and prints their columns', async () => {
    const crds = productCrds();
    if (crds.length === 0) return; // crds/ not generated in this checkout: the Widget CRD covers the generic path.
    for (const crd of crds) await ok(['apply', '-f', '-'], stringify(crd));
    const samples = join(REPO_ROOT, 'deploy/samples');
    const files = existsSync(samples) ? readdirSync(samples).filter((f) => f.endsWith('.yaml')) : [];
    for (const file of files) await ok(['apply', '-f', '-'], readFileSync(join(samples, file), 'utf8'));
    const all = await ok(['get', 'kvrollover', '-A']);
    if (files.some((f) => f.includes('servicefabric'))) {
      const sfcr = await ok(['get', 'sfcr', '-A']);
      expect(sfcr).toMatch(/^NAMESPACE\s+NAME\s+READY\s+PHASE\s+STEP\s+EXPIRES\s+AGE$/m);
      expect(all).toContain('servicefabriccertificaterotation.kvrollover.io/');
    }
  });
});
