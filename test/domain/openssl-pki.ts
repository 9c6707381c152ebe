// Test PKI made by the openssl CLI, so the expected values (fingerprints, dates, key ids) come from a tool
// we did not write. EC P-256 keys keep generation fast on a busy machine. `openssl ca -startdate/-enddate`
// sets arbitrary validity (OpenSSL 3.0's `x509 -req` cannot), see test-substrate §5.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface IssuedCert {
  readonly name: string;
  readonly pemPath: string;
  readonly pem: string;
  readonly der: Buffer;
}

export interface LeafOptions {
  readonly cn: string;
  readonly dnsNames?: readonly string[];
  /** openssl ca form YYYYMMDDHHMMSSZ */
  readonly start: string;
  readonly end: string;
  readonly issuer: IssuedCert;
  readonly ekus?: string;
  /** Extra subject RDNs after CN, e.g. "/O=Contoso". */
  readonly subjectSuffix?: string;
}

function openssl(args: readonly string[], env: NodeJS.ProcessEnv = {}): string {
  return execFileSync('openssl', args, {
    env: { ...process.env, ...env },
    encoding: 'utf8',
    stdio: ['pipe', 'pipe', 'pipe'],
  });
}

/** Reads a value from openssl's own output for a certificate file. */
export function opensslValue(pemPath: string, ...flags: string[]): string {
  return openssl(['x509', '-in', pemPath, '-noout', ...flags]).trim();
}

/** openssl's SHA-1 fingerprint with colons removed (uppercase hex). */
export function opensslThumbprint(pemPath: string): string {
  const out = opensslValue(pemPath, '-fingerprint', '-sha1');
  return out.replace(/^.*Fingerprint=/i, '').replace(/:/g, '');
}

/** openssl's x5t form: base64url of the binary SHA-1 of the DER, unpadded. */
export function opensslX5t(pemPath: string): string {
  const der = execFileSync('openssl', ['x509', '-in', pemPath, '-outform', 'DER']);
  const digest = execFileSync('openssl', ['dgst', '-sha1', '-binary'], { input: der });
  return digest.toString('base64').replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function opensslDate(pemPath: string, which: 'startdate' | 'enddate'): Date {
  const out = opensslValue(pemPath, `-${which}`);
  return new Date(out.replace(/^[a-zA-Z]+=/, ''));
}

/** The hex key id printed by `-ext` for subject/authority key identifier, colons removed. */
export function opensslKeyId(
  pemPath: string,
  ext: 'subjectKeyIdentifier' | 'authorityKeyIdentifier',
): string {
  const out = opensslValue(pemPath, '-ext', ext);
  const match = /([0-9A-F]{2}(?::[0-9A-F]{2})+)/i.exec(out);
  if (!match?.[1]) throw new Error(`no key id in openssl output: ${out}`);
  return match[1].replace(/:/g, '').toUpperCase();
}

const CA_CONFIG = `
[ ca ]
default_ca = local
[ local ]
dir = DIR
database = $dir/index.txt
new_certs_dir = $dir/new
serial = $dir/serial
default_md = sha256
policy = policy_any
unique_subject = no
copy_extensions = none
email_in_dn = no
[ policy_any ]
commonName = supplied
organizationName = optional
organizationalUnitName = optional
[ req ]
distinguished_name = dn
prompt = no
[ dn ]
CN = unused
[ v3_root ]
basicConstraints = critical,CA:true
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
[ v3_inter ]
basicConstraints = critical,CA:true,pathlen:0
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
[ v3_leaf ]
basicConstraints = CA:false
keyUsage = critical,digitalSignature,keyEncipherment
extendedKeyUsage = \${ENV::EKUS}
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
subjectAltName = \${ENV::SAN}
[ v3_leaf_nosan ]
basicConstraints = CA:false
keyUsage = critical,digitalSignature,keyEncipherment
extendedKeyUsage = \${ENV::EKUS}
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
`;

/** A scratch PKI directory. Call `dispose()` in afterAll. */
export class OpensslPki {
  readonly dir = mkdtempSync(join(tmpdir(), 'kvr-pki-'));
  private readonly config = join(this.dir, 'ca.cnf');
  private counter = 0;

  constructor() {
    mkdirSync(join(this.dir, 'new'));
    writeFileSync(join(this.dir, 'index.txt'), '');
    writeFileSync(join(this.dir, 'serial'), '1000\n');
    writeFileSync(this.config, CA_CONFIG.replace('DIR', this.dir));
  }

  private key(name: string): string {
    const path = join(this.dir, `${name}.key`);
    openssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', path]);
    return path;
  }

  private read(name: string, pemPath: string): IssuedCert {
    const pem = readFileSync(pemPath, 'utf8');
    const der = execFileSync('openssl', ['x509', '-in', pemPath, '-outform', 'DER']);
    return { name, pemPath, pem, der };
  }

  /** Self-signed root (or self-signed leaf when `ca` is false). */
  selfSigned(
    cn: string,
    opts: { ca?: boolean; days?: number; dnsNames?: readonly string[] } = {},
  ): IssuedCert {
    const name = `ss${++this.counter}`;
    const key = this.key(name);
    const out = join(this.dir, `${name}.pem`);
    const args = [
      'req',
      '-new',
      '-x509',
      '-key',
      key,
      '-subj',
      `/CN=${cn}`,
      '-days',
      String(opts.days ?? 3650),
    ];
    args.push('-config', this.config, '-out', out);
    if (opts.ca ?? true) {
      args.push('-extensions', 'v3_root');
    } else {
      args.push('-addext', 'basicConstraints=CA:false', '-addext', 'subjectKeyIdentifier=hash');
      if (opts.dnsNames?.length)
        args.push('-addext', `subjectAltName=${opts.dnsNames.map((d) => `DNS:${d}`).join(',')}`);
    }
    openssl(args, { SAN: 'DNS:unused', EKUS: 'serverAuth' });
    return this.read(name, out);
  }

  intermediate(cn: string, root: IssuedCert): IssuedCert {
    return this.signWith(`/CN=${cn}`, root, 'v3_inter', '20200101000000Z', '20400101000000Z', {});
  }

  leaf(opts: LeafOptions): IssuedCert {
    const sans = opts.dnsNames ?? [];
    const env = { SAN: sans.map((d) => `DNS:${d}`).join(','), EKUS: opts.ekus ?? 'serverAuth,clientAuth' };
    const ext = sans.length > 0 ? 'v3_leaf' : 'v3_leaf_nosan';
    return this.signWith(
      `/CN=${opts.cn}${opts.subjectSuffix ?? ''}`,
      opts.issuer,
      ext,
      opts.start,
      opts.end,
      env,
    );
  }

  private signWith(
    subject: string,
    issuer: IssuedCert,
    ext: string,
    start: string,
    end: string,
    env: NodeJS.ProcessEnv,
  ): IssuedCert {
    const name = `c${++this.counter}`;
    const key = this.key(name);
    const csr = join(this.dir, `${name}.csr`);
    const out = join(this.dir, `${name}.pem`);
    const fullEnv = { SAN: 'DNS:unused', EKUS: 'serverAuth', ...env };
    openssl(['req', '-new', '-key', key, '-subj', subject, '-config', this.config, '-out', csr], fullEnv);
    const issuerKey = issuer.pemPath.replace(/\.pem$/, '.key');
    openssl(
      [
        'ca',
        '-batch',
        '-notext',
        '-config',
        this.config,
        '-extensions',
        ext,
        '-startdate',
        start,
        '-enddate',
        end,
        '-cert',
        issuer.pemPath,
        '-keyfile',
        issuerKey,
        '-in',
        csr,
        '-out',
        out,
      ],
      fullEnv,
    );
    return this.read(name, out);
  }

  dispose(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
