// Microsoft.ServiceFabric/clusters over HTTP, as @azure/arm-servicefabric 3.0.0 calls it (api-version
// 2021-06-01 [SF-SPEC]). PUT and PATCH are long-running (202 + Azure-AsyncOperation, body = Cluster);
// the resource provider's validation errors come back synchronously as 400 (409 for an upgrade already
// running) in the ErrorModel shape `{error: {code, message}}`. The accepted certificate change is walked
// UD by UD on the virtual clock and visible through `clusterState` (sf-cluster.ts).
import { armError, json } from '../router.js';
import type { RequestContext, RouteResponse } from '../router.js';
import type { ArmProvider, AzureWorld } from '../world.js';
import type { ClusterSim } from '../../world/sf-cluster.js';
import type { ClusterProperties, ClusterResource } from '../../world/sf-cluster-model.js';
import { validateClusterProperties } from '../../world/sf-validation.js';
import {
  asRecord,
  invalidBody,
  missingApiVersion,
  resourceGroupNotFound,
  resourceNotFound,
} from '../../world/rest.js';
import type { SimWorld } from '../../world/world.js';

const TYPE = 'Microsoft.ServiceFabric/clusters';
const BASE = '/subscriptions/:sub/resourceGroups/:rg/providers/Microsoft.ServiceFabric/clusters';
const CLUSTER = `${BASE}/:name`;

/** Read-only properties the RP computes; ignored in request bodies [SF-SPEC]. */
const READ_ONLY = [
  'clusterState',
  'provisioningState',
  'clusterEndpoint',
  'clusterId',
  'availableClusterVersions',
];

/** Runtime versions the sandbox offers (`availableClusterVersions`). */
const AVAILABLE_VERSIONS = ['7.1.510.9590', '7.2.477.9590', '10.1.2175.9590'];

function clusterBody(cluster: ClusterSim): Record<string, unknown> {
  const body = structuredClone(cluster.resource) as Record<string, unknown>;
  const properties = (body['properties'] ?? {}) as ClusterProperties;
  body['id'] = cluster.id;
  body['name'] = cluster.name;
  body['type'] = TYPE;
  properties.clusterState = cluster.clusterState();
  properties.provisioningState ??= 'Succeeded';
  properties.clusterEndpoint ??= `https://${typeof body['location'] === 'string' ? body['location'] : 'westeurope'}.servicefabric.azure.com/runtime/clusters/${cluster.name}`;
  properties.clusterId ??= cluster.name;
  properties['availableClusterVersions'] = AVAILABLE_VERSIONS.map((codeVersion) => ({
    codeVersion,
    supportExpiryUtc: '9999-12-31T23:59:59.9999999',
    environment: 'Windows',
  }));
  for (const key of Object.keys(properties)) if (properties[key] === null) delete properties[key];
  body['properties'] = properties;
  return body;
}

function stripReadOnly(properties: ClusterProperties): ClusterProperties {
  const clean = structuredClone(properties);
  for (const key of READ_ONLY) delete clean[key];
  return clean;
}

export function serviceFabricProvider(sim: SimWorld): ArmProvider {
  return (azure: AzureWorld) => {
    const r = azure.router;
    const scope = (ctx: RequestContext): RouteResponse | undefined => {
      // Work already due on the virtual clock (a zero-duration UD walk) is done before answering.
      sim.scheduler.flush();
      const missing = missingApiVersion(ctx);
      if (missing !== undefined) return missing;
      const { sub = '', rg = '' } = ctx.params;
      return azure.getResourceGroup(rg, sub) === undefined ? resourceGroupNotFound(rg) : undefined;
    };

    r.register(
      'GET',
      'arm',
      BASE,
      (ctx) =>
        scope(ctx) ??
        json(200, {
          value: sim
            .listClusters()
            .filter(
              (c) =>
                c.subscriptionId.toLowerCase() === (ctx.params['sub'] ?? '').toLowerCase() &&
                c.resourceGroup.toLowerCase() === (ctx.params['rg'] ?? '').toLowerCase(),
            )
            .map(clusterBody),
        }),
      { operation: `${TYPE}/read` },
    );

    r.register(
      'GET',
      'arm',
      '/subscriptions/:sub/providers/Microsoft.ServiceFabric/clusters',
      (ctx) => {
        sim.scheduler.flush();
        const missing = missingApiVersion(ctx);
        if (missing !== undefined) return missing;
        const sub = (ctx.params['sub'] ?? '').toLowerCase();
        return json(200, {
          value: sim
            .listClusters()
            .filter((c) => c.subscriptionId.toLowerCase() === sub)
            .map(clusterBody),
        });
      },
      { operation: `${TYPE}/read` },
    );

    r.register(
      'GET',
      'arm',
      CLUSTER,
      (ctx) => {
        const problem = scope(ctx);
        if (problem !== undefined) return problem;
        const { sub = '', rg = '', name = '' } = ctx.params;
        const cluster = sim.cluster(sub, rg, name);
        return cluster === undefined ? resourceNotFound(TYPE, name, rg) : json(200, clusterBody(cluster));
      },
      { operation: `${TYPE}/read` },
    );

    const write = (method: 'PUT' | 'PATCH') => (ctx: RequestContext) => {
      const problem = scope(ctx);
      if (problem !== undefined) return problem;
      const body = asRecord(ctx.body);
      if (body === undefined) return invalidBody();
      const { sub = '', rg = '', name = '' } = ctx.params;
      const cluster = sim.cluster(sub, rg, name);
      const requested = stripReadOnly(asRecord(body['properties']) ?? {});
      if (cluster === undefined) {
        if (method === 'PATCH') return resourceNotFound(TYPE, name, rg);
        const invalid = validateClusterProperties(requested);
        if (invalid !== undefined) return armError(invalid.status, invalid.code, invalid.message);
        const resource: ClusterResource = { ...(body as ClusterResource), properties: requested };
        if (resource.location === undefined)
          return armError(400, 'LocationRequired', 'The location property is required.');
        const created = sim.createCluster(sub, rg, name, resource);
        return accepted(ctx, azure, created, 200);
      }
      const target: ClusterProperties =
        method === 'PATCH' ? replaceGiven(stripReadOnly(cluster.properties()), requested) : requested;
      const result = sim.updateCluster(cluster, target);
      if (!result.ok) return armError(result.error.status, result.error.code, result.error.message);
      if (body['tags'] !== undefined) cluster.resource.tags = body['tags'] as Record<string, string>;
      return accepted(ctx, azure, cluster, 202);
    };
    r.register('PUT', 'arm', CLUSTER, write('PUT'), { operation: `${TYPE}/write` });
    r.register('PATCH', 'arm', CLUSTER, write('PATCH'), { operation: `${TYPE}/write` });
  };
}

/**
 * PATCH (ClusterUpdateParameters [SF-SPEC]) replaces each property it carries as a whole — `certificate`
 * without `thumbprintSecondary` drops the secondary, `nodeTypes` and the client lists "overwrite" — and a
 * JSON `null` removes a property (how a PATCH drops `certificate` when converting to common names).
 */
function replaceGiven(current: ClusterProperties, given: ClusterProperties): ClusterProperties {
  const next: ClusterProperties = { ...current };
  for (const [key, value] of Object.entries(given)) {
    if (value === null) delete next[key];
    else if (value !== undefined) next[key] = structuredClone(value);
  }
  return next;
}

/**
 * The PUT/PATCH operation: `provisioningState` Updating until the first status poll, then Succeeded.
 * The certificate upgrade itself continues afterwards (clusterState), as in Azure (azure.md §10).
 */
function accepted(
  ctx: RequestContext,
  azure: AzureWorld,
  cluster: ClusterSim,
  status: number,
): RouteResponse {
  cluster.properties().provisioningState = 'Updating';
  const handle = azure.lro.begin(ctx, {
    subscriptionId: cluster.subscriptionId,
    providerNamespace: 'Microsoft.ServiceFabric',
    location: cluster.resource.location ?? 'westeurope',
    // Azure finishes the operation whether or not a client polls it [ARM-ASYNC]: the first poll or a
    // virtual minute, whichever comes first (a client that crashed after the write never polls).
    completeAfterPolls: 1,
    completeAfterMs: 60_000,
    onComplete: () => {
      cluster.properties().provisioningState = 'Succeeded';
    },
    onFailed: () => {
      cluster.properties().provisioningState = 'Failed';
    },
    result: () => clusterBody(cluster),
  });
  return { status, headers: handle.headers('async'), body: clusterBody(cluster) };
}
