// The shapes the runtime handles: custom objects as the API server returns them, kinds, keys.

export interface ObjectMeta {
  name: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  deletionTimestamp?: string;
  finalizers?: string[];
  [field: string]: unknown;
}

/** A namespaced custom object; `spec` and `status` stay opaque to the runtime. */
export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
  spec?: unknown;
  status?: Record<string, unknown>;
  [field: string]: unknown;
}

/** A custom resource type the runtime watches. */
export interface ResourceKind {
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  readonly plural: string;
}

/** `namespace/name`, as controller-runtime's `reconcile.Request` prints it. */
export type ObjectKey = string;

export interface NamespacedName {
  readonly namespace: string;
  readonly name: string;
}

export function objectKey(namespace: string, name: string): ObjectKey {
  return `${namespace}/${name}`;
}

export function keyOf(obj: KubeObject): ObjectKey {
  return objectKey(obj.metadata.namespace ?? '', obj.metadata.name);
}

export function parseObjectKey(key: ObjectKey): NamespacedName {
  const slash = key.indexOf('/');
  if (slash < 0) return { namespace: '', name: key };
  return { namespace: key.slice(0, slash), name: key.slice(slash + 1) };
}

export function apiVersionOf(kind: ResourceKind): string {
  return `${kind.group}/${kind.version}`;
}
