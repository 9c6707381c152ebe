import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, scrubText } from '../../src/observability/logger.js';

const SECRET = 'S3cr3t-V4lue-9f8e7d';
const PEM = `-----BEGIN PRIVATE KEY-----\nMIIEv${SECRET}QIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----`;

function capture(): {
  log: ReturnType<typeof createLogger>;
  lines: () => Record<string, unknown>[];
  raw: () => string;
} {
  let out = '';
  const destination = new Writable({
    write(chunk: Buffer, _enc, cb) {
      out += chunk.toString();
      cb();
    },
  });
  const log = createLogger({ level: 'trace', destination });
  return {
    log,
    raw: () => out,
    lines: () =>
      out
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}

describe('logger', () => {
  it('never writes a secret, whatever field or string carries it', () => {
    const c = capture();
    c.log.info({ privateKey: SECRET }, 'top-level field');
    c.log.info(
      { secretBundle: { value: SECRET, contentType: 'application/x-pem-file' } },
      'Key Vault secret bundle',
    );
    c.log.info({ a: { b: { c: { password: SECRET } } } }, 'deep field');
    c.log.info({ credentials: { client_secret: SECRET, clientSecret: SECRET } }, 'credentials');
    c.log.info({ request: { headers: { authorization: `Bearer ${SECRET}` } } }, 'request');
    c.log.warn({ pem: PEM }, 'a PEM private key under an innocent name');
    c.log.error(
      { err: new Error(`token request failed: client_secret=${SECRET}&grant_type=x`) },
      'error message',
    );
    c.log.error(`interpolated %s`, PEM);
    c.log
      .child({ resource_kind: 'ServiceFabricCertificateRotation' })
      .info({ step: 'GrantVaultAccess' }, `Got Bearer ${SECRET}`);
    expect(c.lines()).toHaveLength(9);
    expect(c.raw()).not.toContain(SECRET);
    expect(c.raw()).toContain('[REDACTED]');
  });

  it('writes JSON with the level label, time, message and the fixed resource keys', () => {
    const c = capture();
    c.log
      .child({
        resource_kind: 'BatchPoolCertificateRotation',
        resource_namespace: 'ns',
        resource_name: 'pool',
      })
      .info({ step: 'EnsurePool', reason: 'StepExecuted' }, 'Patched Pool');
    expect(c.lines()[0]).toMatchObject({
      level: 'info',
      msg: 'Patched Pool',
      resource_kind: 'BatchPoolCertificateRotation',
      resource_namespace: 'ns',
      resource_name: 'pool',
      step: 'EnsurePool',
      reason: 'StepExecuted',
    });
    expect(typeof c.lines()[0]!.time).toBe('string');
  });

  it('keeps public material (certificates, thumbprints) intact', () => {
    const cert = '-----BEGIN CERTIFICATE-----\nMIIBkTCB+wIJ\n-----END CERTIFICATE-----';
    expect(scrubText(cert)).toBe(cert);
    const c = capture();
    c.log.info({ thumbprint: 'A1B2C3', cer: 'MIIBkTCB' }, 'Observed certificate');
    expect(c.lines()[0]).toMatchObject({ thumbprint: 'A1B2C3', cer: 'MIIBkTCB' });
  });
});
