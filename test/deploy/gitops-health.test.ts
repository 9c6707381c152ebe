// GitOps health of the status the operator writes: the Argo CD Lua check (deploy/argocd/health.lua, run
// in fengari) and kstatus (what Flux reads), on the same sample resources.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import fengari from 'fengari';
import { describe, expect, it } from 'vitest';
import {
  ConditionType,
  Hazard,
  KIND_BATCH_POOL,
  KIND_SERVICE_FABRIC,
  Phase,
  Reason,
  Severity,
  Step,
} from '../../src/domain/names.js';
import { REPO_ROOT } from './tools.js';

const { lua, lauxlib, lualib, to_luastring } = fengari;
const HEALTH_LUA = readFileSync(path.join(REPO_ROOT, 'deploy/argocd/health.lua'), 'utf8');

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type LuaState = object;

function pushJson(L: LuaState, value: Json | undefined): void {
  if (value === null || value === undefined) lua.lua_pushnil(L);
  else if (typeof value === 'boolean') lua.lua_pushboolean(L, value);
  else if (typeof value === 'number') {
    if (Number.isInteger(value)) lua.lua_pushinteger(L, value);
    else lua.lua_pushnumber(L, value);
  } else if (typeof value === 'string') lua.lua_pushstring(L, to_luastring(value));
  else if (Array.isArray(value)) {
    lua.lua_createtable(L, value.length, 0);
    value.forEach((item, index) => {
      pushJson(L, item);
      lua.lua_rawseti(L, -2, index + 1);
    });
  } else {
    lua.lua_createtable(L, 0, Object.keys(value).length);
    for (const [key, item] of Object.entries(value)) {
      pushJson(L, item);
      lua.lua_setfield(L, -2, to_luastring(key));
    }
  }
}

/** Runs the health check as Argo CD does: the resource as global `obj`, the script returns `hs`. */
function argoHealth(obj: Json): { status: string; message: string } {
  const L = lauxlib.luaL_newstate();
  lualib.luaL_openlibs(L);
  pushJson(L, obj);
  lua.lua_setglobal(L, to_luastring('obj'));
  if (lauxlib.luaL_loadstring(L, to_luastring(HEALTH_LUA)) !== lua.LUA_OK) {
    throw new Error(`health.lua does not compile: ${lua.lua_tojsstring(L, -1)}`);
  }
  if (lua.lua_pcall(L, 0, 1, 0) !== lua.LUA_OK)
    throw new Error(`health.lua failed: ${lua.lua_tojsstring(L, -1)}`);
  expect(lua.lua_type(L, -1)).toBe(lua.LUA_TTABLE);
  const field = (name: string): string => {
    lua.lua_getfield(L, -1, to_luastring(name));
    const text = lua.lua_tojsstring(L, -1);
    lua.lua_pop(L, 1);
    return text;
  };
  return { status: field('status'), message: field('message') };
}

interface Condition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason: string;
  message: string;
}
interface Resource {
  metadata: { generation?: number; deletionTimestamp?: string };
  status?: { observedGeneration?: number; conditions?: Condition[]; phase?: string; [key: string]: unknown };
}

/**
 * kstatus' Compute for a custom resource (cli-utils pkg/kstatus/status/status.go and generic.go, per
 * anchors.md §5.1): deletion, then generation, then the first abnormal-true condition in list order,
 * then Ready, else Current.
 */
function kstatus(resource: Resource): 'InProgress' | 'Failed' | 'Current' | 'Terminating' {
  if (resource.metadata.deletionTimestamp) return 'Terminating';
  const status = resource.status;
  if (
    status?.observedGeneration !== undefined &&
    status.observedGeneration !== resource.metadata.generation
  ) {
    return 'InProgress';
  }
  for (const condition of status?.conditions ?? []) {
    if (condition.type === 'Reconciling' && condition.status === 'True') return 'InProgress';
    if (condition.type === 'Stalled' && condition.status === 'True') return 'Failed';
  }
  const ready = status?.conditions?.find((condition) => condition.type === 'Ready');
  if (ready?.status === 'True') return 'Current';
  if (ready?.status === 'False') return 'InProgress';
  return 'Current';
}

const T = '2026-11-22T10:00:00Z';
function conditions(
  ready: string,
  reconciling: string,
  stalled: string,
  reason: string,
  message: string,
): Condition[] {
  const status = (s: string) => s as Condition['status'];
  return [
    { type: ConditionType.Ready, status: status(ready), reason, message, lastTransitionTime: T } as Condition,
    {
      type: ConditionType.Reconciling,
      status: status(reconciling),
      reason,
      message,
      lastTransitionTime: T,
    } as Condition,
    {
      type: ConditionType.Stalled,
      status: status(stalled),
      reason,
      message,
      lastTransitionTime: T,
    } as Condition,
  ];
}

interface Case {
  name: string;
  resource: Resource & { apiVersion: string; kind: string };
  argo: string;
  argoMessage: RegExp;
  kstatus: ReturnType<typeof kstatus>;
}

function resource(kind: string, generation: number, status?: Resource['status']): Case['resource'] {
  return {
    apiVersion: 'kvrollover.io/v1alpha1',
    kind,
    metadata: { generation, ...({ name: 'r', namespace: 'default' } as object) },
    ...(status ? { status } : {}),
  };
}

const cases: Case[] = [
  {
    name: 'just applied, no status yet',
    resource: resource(KIND_SERVICE_FABRIC, 1),
    argo: 'Progressing',
    argoMessage: /Waiting for the operator/,
    // kstatus reads the absence of conditions as Current: the operator writes status on its first reconcile.
    kstatus: 'Current',
  },
  {
    name: 'spec changed, not yet observed',
    resource: resource(KIND_SERVICE_FABRIC, 2, {
      observedGeneration: 1,
      phase: Phase.Steady,
      conditions: conditions('True', 'False', 'False', Reason.Converged, 'Converged'),
    }),
    argo: 'Progressing',
    argoMessage: /observe generation 2/,
    kstatus: 'InProgress',
  },
  {
    name: 'a step is running',
    resource: resource(KIND_SERVICE_FABRIC, 3, {
      observedGeneration: 3,
      phase: Phase.Progressing,
      currentStep: Step.InstallGoalCertificate,
      conditions: conditions(
        'False',
        'True',
        'False',
        Reason.WaitingForScaleSetUpgrade,
        'nt1vm: 2 of 5 instances',
      ),
    }),
    argo: 'Progressing',
    argoMessage: /^Step InstallGoalCertificate: nt1vm: 2 of 5 instances$/,
    kstatus: 'InProgress',
  },
  {
    name: 'stalled on an invalid spec',
    resource: resource(KIND_BATCH_POOL, 1, {
      observedGeneration: 1,
      phase: Phase.Stalled,
      conditions: conditions(
        'False',
        'False',
        'True',
        Hazard.InvalidSpec,
        'pool.body is required to create the pool',
      ),
    }),
    argo: 'Degraded',
    argoMessage: /^Stalled: pool.body is required/,
    kstatus: 'Failed',
  },
  {
    name: 'blocked by a blocking hazard',
    resource: resource(KIND_SERVICE_FABRIC, 4, {
      observedGeneration: 4,
      phase: Phase.Blocked,
      hazards: [
        { reason: Hazard.IssuerNotPinned, severity: Severity.Blocking, message: 'issuer not pinned' },
        { reason: Hazard.NoAutoRenewPolicy, severity: Severity.Warning, message: 'no auto-renew' },
      ],
      conditions: conditions('False', 'False', 'True', Hazard.IssuerNotPinned, 'issuer not pinned'),
    }),
    argo: 'Degraded',
    argoMessage: /Stalled: issuer not pinned/,
    kstatus: 'Failed',
  },
  {
    name: 'blocked, reported by phase only',
    resource: resource(KIND_BATCH_POOL, 1, {
      observedGeneration: 1,
      phase: Phase.Blocked,
      hazards: [
        { reason: Hazard.PoolRecreationRequired, severity: Severity.Blocking, message: 'recreate: Never' },
      ],
      conditions: [
        {
          type: 'Ready',
          status: 'False',
          reason: Reason.Blocked,
          message: 'blocked',
          lastTransitionTime: T,
        } as Condition,
      ],
    }),
    argo: 'Degraded',
    argoMessage: /^Blocked by PoolRecreationRequired$/,
    kstatus: 'InProgress',
  },
  {
    name: 'suspended by policy',
    resource: resource(KIND_SERVICE_FABRIC, 5, {
      observedGeneration: 5,
      phase: Phase.Suspended,
      conditions: conditions('False', 'False', 'False', Reason.Suspended, 'spec.policy.suspend is true'),
    }),
    argo: 'Suspended',
    argoMessage: /suspend/,
    kstatus: 'InProgress',
  },
  {
    name: 'awaiting approval of a step',
    resource: resource(KIND_SERVICE_FABRIC, 5, {
      observedGeneration: 5,
      phase: Phase.AwaitingApproval,
      currentStep: Step.ConvertClusterToCommonName,
      conditions: conditions(
        'False',
        'False',
        'False',
        Reason.AwaitingApproval,
        'approve ConvertClusterToCommonName',
      ),
    }),
    argo: 'Suspended',
    argoMessage: /Awaiting approval of ConvertClusterToCommonName/,
    kstatus: 'InProgress',
  },
  {
    name: 'steady and ready at the observed generation',
    resource: resource(KIND_BATCH_POOL, 7, {
      observedGeneration: 7,
      phase: Phase.Steady,
      currentStep: Step.Steady,
      conditions: conditions('True', 'False', 'False', Reason.Converged, 'every node has the certificate'),
    }),
    argo: 'Healthy',
    argoMessage: /^Ready: every node has the certificate$/,
    kstatus: 'Current',
  },
];

describe('GitOps health of rotation status', () => {
  it.each(cases)('Argo CD: $name → $argo', ({ resource: obj, argo, argoMessage }) => {
    const health = argoHealth(obj as unknown as Json);
    expect(health.status).toBe(argo);
    expect(health.message).toMatch(argoMessage);
  });

  it.each(cases)('kstatus: $name → $kstatus', ({ resource: obj, kstatus: expected }) => {
    expect(kstatus(obj)).toBe(expected);
  });

  it('agrees between Argo CD and kstatus on what is healthy and what has failed', () => {
    for (const { name, resource: obj } of cases.filter((c) => c.resource.status !== undefined)) {
      const argo = argoHealth(obj as unknown as Json).status;
      const flux = kstatus(obj);
      expect(argo === 'Healthy', name).toBe(flux === 'Current');
      // Failed in kstatus is always Degraded in Argo CD (the converse needs Stalled=True, see the docs).
      if (flux === 'Failed') expect(argo, name).toBe('Degraded');
    }
  });

  it('reports a resource being deleted as Terminating (kstatus)', () => {
    const deleting = resource(KIND_SERVICE_FABRIC, 1, { observedGeneration: 1 });
    deleting.metadata.deletionTimestamp = T;
    expect(kstatus(deleting)).toBe('Terminating');
  });

  it('documents the check for both kinds in argocd-cm', () => {
    const readme = readFileSync(path.join(REPO_ROOT, 'deploy/argocd/README.md'), 'utf8');
    for (const kind of [KIND_SERVICE_FABRIC, KIND_BATCH_POOL]) {
      expect(readme).toContain(`resource.customizations.health.kvrollover.io_${kind}`);
    }
  });
});
