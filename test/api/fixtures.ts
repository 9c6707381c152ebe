import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

export type Json = Record<string, unknown>;

/** A sample from deploy/samples, parsed afresh. */
export function sample(kind: 'servicefabriccertificaterotation' | 'batchpoolcertificaterotation'): Json {
  return parse(readFileSync(new URL(`../../deploy/samples/${kind}.yaml`, import.meta.url), 'utf8')) as Json;
}

export const serviceFabricSample = () => sample('servicefabriccertificaterotation');
export const batchPoolSample = () => sample('batchpoolcertificaterotation');

/**
 * A copy of `base` with the changes applied: keys are dotted paths (`spec.cluster.nodeTypes.0.name`),
 * `undefined` deletes the field. Missing intermediate objects are created.
 */
export function variant(base: Json, changes: Record<string, unknown>): Json {
  const copy = structuredClone(base);
  for (const [path, value] of Object.entries(changes)) {
    const keys = path.split('.');
    const last = keys.pop()!;
    let node = copy as Record<string, unknown>;
    for (const key of keys) {
      if (typeof node[key] !== 'object' || node[key] === null) node[key] = {};
      node = node[key] as Record<string, unknown>;
    }
    if (value === undefined) delete node[last];
    else node[last] = structuredClone(value);
  }
  return copy;
}

/** A valid certificate policy (issue 9), for variants. */
export function policy(): Json {
  return {
    issuerName: 'DigiCert',
    subject: 'CN=cluster.contoso.com',
    subjectAlternativeNames: { dnsNames: ['cluster.contoso.com', 'admin.contoso.com'] },
    keyType: 'RSA',
    keySize: 2048,
    validityInMonths: 4,
    lifetimeAction: { action: 'AutoRenew', lifetimePercentage: 75 },
  };
}
