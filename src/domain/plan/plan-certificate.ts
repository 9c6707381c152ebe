// A certificate as the plan and the status report it (design §2, "certificates seen").
import type { PlanCertificate } from './types.js';
import type { DatedCertificate } from './world.js';

export function planCertificate(
  c:
    | (DatedCertificate & {
        readonly version?: string;
        readonly issuerThumbprint?: string | undefined;
        readonly commonName?: string | undefined;
      })
    | undefined,
): PlanCertificate | undefined {
  if (c?.thumbprint === undefined) return undefined;
  return {
    ...(c.version === undefined ? {} : { version: c.version }),
    thumbprint: c.thumbprint,
    ...(c.issuerThumbprint === undefined ? {} : { issuerThumbprint: c.issuerThumbprint }),
    ...(c.commonName === undefined ? {} : { subject: `CN=${c.commonName}` }),
    ...(c.notBefore === undefined ? {} : { notBefore: c.notBefore.toISOString() }),
    ...(c.notAfter === undefined ? {} : { notAfter: c.notAfter.toISOString() }),
  };
}
