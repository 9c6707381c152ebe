// Certificate lifecycle inside the simulated vaults: creation by policy through a pending operation
// [KV-CREATE], issuance by the CA the policy's issuer names, import, version enable/disable, and
// auto-renewal at `lifetime_percentage` / `days_before_expiry` as the virtual clock advances [KV-CERT].
// Also the scenario controls that make the documented hazards happen on demand.

import { createPrivateKey, createPublicKey, randomBytes, randomUUID } from 'node:crypto';
import forge from 'node-forge';
import type { VirtualClock } from '../../clock.js';
import type { CaRegistry, IssuedLeaf, LeafRequest } from './ca.js';
import { describeCertificate, sha1Hex, x5tOf } from './ca.js';
import type {
  CertificatePolicyWire,
  CertificateRecord,
  CertificateVersionRecord,
  PendingOperationRecord,
  VaultIssuerRecord,
  VaultRecord,
} from './model.js';
import { CONTENT_TYPE_PEM, CONTENT_TYPE_PFX } from './model.js';
import type { CertificateVersionView, VaultStore } from './store.js';
import { toView } from './store.js';

export class VaultOperationError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'VaultOperationError';
  }
}

/** Key Vault version ids: 32 lower-case hex characters [KV-OBJ]. */
export function newVersionId(): string {
  return randomBytes(16).toString('hex');
}

export interface RenewOverrides {
  /** Issue from this CA instead of the one the policy's issuer is bound to (an "undeclared issuer"). */
  readonly caId?: string;
  /** NotBefore of the new version (e.g. earlier than the current version's). */
  readonly notBefore?: Date;
  /** Override the policy's validity. */
  readonly validityMonths?: number;
}

interface InFlight {
  issued?: IssuedLeaf;
  failed?: { code: string; message: string };
  overrides?: RenewOverrides;
}

/** A certificate version that just came into being (the source of Key Vault's Event Grid events). */
export interface NewCertificateVersion {
  readonly vault: VaultRecord;
  readonly certificate: CertificateRecord;
  readonly version: CertificateVersionRecord;
}

export class CertificateEngine {
  private readonly inflight = new Set<Promise<unknown>>();
  private readonly versionListeners = new Set<(created: NewCertificateVersion) => void>();
  private readonly work = new WeakMap<PendingOperationRecord, InFlight>();

  constructor(
    private readonly clock: VirtualClock,
    private readonly vaults: VaultStore,
    private readonly cas: CaRegistry,
    private readonly issuanceDelayMs: number,
  ) {
    clock.onAdvance(() => this.tick());
  }

  /** Resolves once no issuance is running (call after `clock.advance` to observe renewals). */
  async settle(): Promise<void> {
    while (this.inflight.size > 0) await Promise.allSettled([...this.inflight]);
    this.tick();
  }

  /**
   * Calls `listener` for every new certificate version, whatever made it (create, renewNow, auto-renewal,
   * import); returns the unsubscribe function. Listeners must not throw or block (Event Grid delivers later).
   */
  onVersionCreated(listener: (created: NewCertificateVersion) => void): () => void {
    this.versionListeners.add(listener);
    return () => this.versionListeners.delete(listener);
  }

  private announce(
    vault: VaultRecord,
    certificate: CertificateRecord,
    version: CertificateVersionRecord,
  ): void {
    for (const listener of this.versionListeners) {
      try {
        listener({ vault, certificate, version });
      } catch {
        // A broken listener must never fail the vault operation that made the version.
      }
    }
  }

  // ---- issuers (vault issuer objects) -----------------------------------------------------------

  setIssuer(vaultName: string, issuerName: string, caId: string, provider = 'SandboxCA'): VaultIssuerRecord {
    const vault = this.requireVault(vaultName);
    if (!this.cas.get(caId)) throw new Error(`unknown CA ${caId}`);
    const existing = vault.issuers.get(issuerName.toLowerCase());
    if (existing) {
      existing.caId = caId;
      existing.provider = provider;
      return existing;
    }
    const record: VaultIssuerRecord = { name: issuerName, provider, caId };
    vault.issuers.set(issuerName.toLowerCase(), record);
    return record;
  }

  /** Scenario control: the issuer starts signing with another CA (e.g. a new intermediate). */
  switchIssuer(vaultName: string, issuerName: string, caId: string): void {
    const issuer = this.requireVault(vaultName).issuers.get(issuerName.toLowerCase());
    if (!issuer) throw new Error(`vault ${vaultName} has no issuer ${issuerName}`);
    if (!this.cas.get(caId)) throw new Error(`unknown CA ${caId}`);
    issuer.caId = caId;
  }

  /** Scenario control: the issuer rejects (or, with `undefined`, accepts again) certificate requests. */
  setIssuerRejects(
    vaultName: string,
    issuerName: string,
    error: { code: string; message: string } | undefined,
  ): void {
    const issuer = this.requireVault(vaultName).issuers.get(issuerName.toLowerCase());
    if (!issuer) throw new Error(`vault ${vaultName} has no issuer ${issuerName}`);
    if (error) issuer.rejectWith = error;
    else delete issuer.rejectWith;
  }

  // ---- create / renew ---------------------------------------------------------------------------

  /**
   * Starts creating a new version with `policy` (or the stored policy): a pending operation that the
   * issuer completes after the configured delay on the virtual clock [KV-CREATE]. A policy given here
   * replaces the stored one.
   */
  beginCreate(
    vaultName: string,
    name: string,
    policy: CertificatePolicyWire | undefined,
    opts: { tags?: Record<string, string>; enabled?: boolean; overrides?: RenewOverrides } = {},
  ): PendingOperationRecord {
    const vault = this.requireVault(vaultName);
    const existing = vault.certificates.get(name.toLowerCase());
    const effective = normalisePolicy(policy ?? existing?.policy);
    if (!effective) throw new VaultOperationError(400, 'BadParameter', 'Property policy is required.');
    if (existing?.pending?.status === 'inProgress') {
      throw new VaultOperationError(
        409,
        'Conflict',
        `There is a pending operation on certificate '${name}'.`,
      );
    }
    const issuerName = effective.issuer?.name ?? 'Unknown';
    const issuer = this.resolveIssuer(vault, issuerName);
    const now = this.clock.now();
    let cert = existing;
    if (!cert) {
      cert = {
        name,
        policy: effective,
        policyCreated: now,
        policyUpdated: now,
        versions: [],
        tags: opts.tags ?? {},
      };
      vault.certificates.set(name.toLowerCase(), cert);
    } else if (policy) {
      cert.policy = effective;
      cert.policyUpdated = now;
    }
    if (opts.tags) cert.tags = opts.tags;
    const op: PendingOperationRecord = {
      requestId: randomUUID().replace(/-/g, ''),
      issuerName,
      csr: Buffer.alloc(0),
      startedAt: now,
      completeAt: new Date(now.getTime() + this.issuanceDelayMs),
      cancellationRequested: false,
      status: 'inProgress',
      statusDetails:
        'Pending certificate created. Certificate request is in progress. This may take some time based on the issuer provider. Please check again later.',
    };
    cert.pending = op;
    const work: InFlight = opts.overrides ? { overrides: opts.overrides } : {};
    this.work.set(op, work);
    if (issuer && issuer !== 'Self' && issuer.rejectWith) {
      work.failed = issuer.rejectWith;
    } else if (issuerName.toLowerCase() !== 'unknown') {
      const caId = opts.overrides?.caId ?? (issuer === 'Self' ? 'Self' : issuer!.caId);
      this.track(
        this.issue(caId, cert, op, opts.overrides).then(
          (leaf) => {
            work.issued = leaf;
          },
          (err: unknown) => {
            work.failed = {
              code: 'CertificateIssuanceFailed',
              message: err instanceof Error ? err.message : String(err),
            };
          },
        ),
      );
    }
    // Manual (`Unknown`) issuers wait for a merge, which this emulator does not model: they stay pending.
    return op;
  }

  /**
   * Scenario control: issue a new version now (through a pending operation that completes as soon as
   * the key and certificate are made), optionally from another CA or with another NotBefore.
   */
  async renewNow(
    vaultName: string,
    name: string,
    overrides: RenewOverrides = {},
  ): Promise<CertificateVersionView> {
    const vault = this.requireVault(vaultName);
    const cert = vault.certificates.get(name.toLowerCase());
    if (!cert) throw new Error(`vault ${vaultName} has no certificate ${name}`);
    const op = this.beginCreate(vaultName, name, undefined, { overrides });
    const work = this.work.get(op)!;
    await this.settle();
    if (work.issued && op.status === 'inProgress') this.complete(vault, cert, op, work.issued);
    if (op.status !== 'completed')
      throw new Error(`renewal of ${name} did not complete: ${op.error?.message ?? op.status}`);
    return toView(vault, cert, cert.versions[cert.versions.length - 1]!);
  }

  /** Cancels a pending operation (PATCH `cancellation_requested: true`). */
  cancel(vaultName: string, name: string): PendingOperationRecord {
    const cert = this.vaults.getCertificate(vaultName, name);
    const op = cert?.pending;
    if (!op)
      throw new VaultOperationError(
        404,
        'PendingCertificateNotFound',
        `Pending certificate not found: ${name}`,
      );
    op.cancellationRequested = true;
    if (op.status === 'inProgress') {
      op.status = 'cancelled';
      op.statusDetails = 'Cancellation was requested by the user.';
    }
    return op;
  }

  /** Re-evaluates pending operations and auto-renewal triggers at the current virtual time. */
  tick(): void {
    const now = this.clock.now();
    for (const vault of this.vaults.allVaults()) {
      for (const cert of vault.certificates.values()) {
        const op = cert.pending;
        if (op?.status === 'inProgress' && now.getTime() >= op.completeAt.getTime()) {
          const work = this.work.get(op);
          if (work?.failed) this.fail(op, work.failed);
          else if (work?.issued) this.complete(vault, cert, op, work.issued);
        }
        this.maybeAutoRenew(vault, cert, now);
      }
    }
  }

  private maybeAutoRenew(vault: VaultRecord, cert: CertificateRecord, now: Date): void {
    const latest = cert.versions[cert.versions.length - 1];
    if (!latest || cert.pending?.status === 'inProgress') return;
    if (cert.autoRenewedFromVersion === latest.version) return;
    const issuerName = cert.policy.issuer?.name ?? 'Unknown';
    if (issuerName.toLowerCase() === 'unknown') return; // non-partner issuers cannot auto-renew [KV-CREATE]
    const action = (cert.policy.lifetime_actions ?? []).find((a) => a.action.action_type === 'AutoRenew');
    if (!action) return;
    const nbf = latest.notBefore.getTime();
    const exp = latest.notAfter.getTime();
    const pct = action.trigger.lifetime_percentage;
    const days = action.trigger.days_before_expiry;
    const triggerAt =
      pct !== undefined
        ? nbf + ((exp - nbf) * pct) / 100
        : days !== undefined
          ? exp - days * 86_400_000
          : Number.POSITIVE_INFINITY;
    if (now.getTime() < triggerAt) return;
    cert.autoRenewedFromVersion = latest.version;
    try {
      this.beginCreate(vault.name, cert.name, undefined);
    } catch {
      // An issuer removed from the vault makes auto-renewal fail silently, as it would in Azure.
    }
  }

  private complete(
    vault: VaultRecord,
    cert: CertificateRecord,
    op: PendingOperationRecord,
    leaf: IssuedLeaf,
  ): void {
    if (op.status !== 'inProgress') return;
    const now = this.clock.now();
    const policy = cert.policy;
    const record: CertificateVersionRecord = {
      version: newVersionId(),
      der: leaf.der,
      chain: leaf.chain,
      keyPkcs8: leaf.keyPkcs8,
      keyType: leaf.keyType,
      exportable: policy.key_props?.exportable ?? true,
      thumbprint: leaf.thumbprint,
      x5t: leaf.x5t,
      subject: leaf.subject,
      dnsNames: leaf.dnsNames,
      issuerThumbprint: leaf.issuerThumbprint,
      notBefore: leaf.notBefore,
      notAfter: leaf.notAfter,
      contentType: policy.secret_props?.contentType ?? CONTENT_TYPE_PFX,
      issuerName: op.issuerName,
      enabled: true,
      created: now,
      updated: now,
      tags: { ...cert.tags },
    };
    cert.versions.push(record);
    op.status = 'completed';
    op.targetVersion = record.version;
    delete op.statusDetails;
    // A renewal resets the trigger for the new version.
    delete cert.autoRenewedFromVersion;
    this.announce(vault, cert, record);
  }

  private fail(op: PendingOperationRecord, error: { code: string; message: string }): void {
    op.status = 'failed';
    op.error = error;
    op.statusDetails = error.message;
  }

  private async issue(
    caId: string,
    cert: CertificateRecord,
    op: PendingOperationRecord,
    overrides: RenewOverrides | undefined,
  ): Promise<IssuedLeaf> {
    const p = cert.policy;
    const latest = cert.versions[cert.versions.length - 1];
    const keyType = p.key_props?.kty?.startsWith('EC') ? 'EC' : 'RSA';
    const reuse =
      p.key_props?.reuse_key === true && latest && latest.keyType === keyType ? latest.keyPkcs8 : undefined;
    const curve = p.key_props?.crv === 'P-384' || p.key_props?.crv === 'P-521' ? p.key_props.crv : 'P-256';
    const req: LeafRequest = {
      subject: p.x509_props?.subject ?? `CN=${cert.name}`,
      dnsNames: p.x509_props?.sans?.dns_names ?? [],
      ...(p.x509_props?.ekus ? { ekus: p.x509_props.ekus } : {}),
      ...(p.x509_props?.key_usage ? { keyUsage: p.x509_props.key_usage } : {}),
      validityMonths: overrides?.validityMonths ?? p.x509_props?.validity_months ?? 12,
      ...(overrides?.notBefore ? { notBefore: overrides.notBefore } : {}),
      keyType,
      curve,
      ...(reuse ? { reuseKey: reuse } : {}),
      ...(latest ? { avoidKey: latest.keyPkcs8 } : {}),
    };
    const { keyPkcs8, csr } = await this.cas.prepareRequest(req);
    op.csr = csr;
    return this.cas.issueLeaf(caId, { ...req, reuseKey: keyPkcs8 });
  }

  // ---- import / update --------------------------------------------------------------------------

  /**
   * Imports a PFX (base64, optional password) or a PEM bundle (key + certificates) [KV-CERT]: a new
   * version whose policy, when none is given, is derived from the certificate (issuer `Unknown`).
   */
  importCertificate(
    vaultName: string,
    name: string,
    input: {
      value: string;
      password?: string;
      policy?: CertificatePolicyWire;
      enabled?: boolean;
      tags?: Record<string, string>;
    },
  ): CertificateVersionRecord {
    const vault = this.requireVault(vaultName);
    const parsed = parseImport(input.value, input.password ?? '', input.policy?.secret_props?.contentType);
    const facts = describeCertificate(parsed.der);
    const now = this.clock.now();
    let cert = vault.certificates.get(name.toLowerCase());
    const months = Math.max(
      1,
      Math.round((facts.notAfter.getTime() - facts.notBefore.getTime()) / (30.44 * 86_400_000)),
    );
    const derived: CertificatePolicyWire = {
      key_props: {
        exportable: true,
        kty: parsed.keyType,
        ...(parsed.keyType === 'RSA' ? { key_size: 2048 } : { crv: 'P-256' }),
        reuse_key: false,
      },
      secret_props: { contentType: parsed.contentType },
      x509_props: { subject: facts.subject, sans: { dns_names: facts.dnsNames }, validity_months: months },
      lifetime_actions: [{ trigger: { lifetime_percentage: 80 }, action: { action_type: 'EmailContacts' } }],
      issuer: { name: 'Unknown' },
    };
    const policy = normalisePolicy(
      input.policy ? { ...derived, ...input.policy } : (cert?.policy ?? derived),
    )!;
    if (!cert) {
      cert = { name, policy, policyCreated: now, policyUpdated: now, versions: [], tags: input.tags ?? {} };
      vault.certificates.set(name.toLowerCase(), cert);
    } else if (input.policy) {
      cert.policy = policy;
      cert.policyUpdated = now;
    }
    const issuerCa = parsed.chain[0] ? sha1Hex(parsed.chain[0]) : undefined;
    const thumbprint = sha1Hex(parsed.der);
    const record: CertificateVersionRecord = {
      version: newVersionId(),
      der: parsed.der,
      chain: parsed.chain,
      keyPkcs8: parsed.keyPkcs8,
      keyType: parsed.keyType,
      exportable: true,
      thumbprint,
      x5t: x5tOf(parsed.der),
      subject: facts.subject,
      dnsNames: facts.dnsNames,
      issuerThumbprint:
        issuerCa ??
        (facts.issuer === facts.subject
          ? thumbprint
          : (this.cas.all().find((c) => describeCertificate(c.der).subject === facts.issuer)?.thumbprint ??
            '')),
      notBefore: facts.notBefore,
      notAfter: facts.notAfter,
      contentType: policy.secret_props?.contentType ?? parsed.contentType,
      issuerName: 'Unknown',
      enabled: input.enabled ?? true,
      created: now,
      updated: now,
      tags: input.tags ?? {},
    };
    cert.versions.push(record);
    if (input.tags) cert.tags = input.tags;
    this.announce(vault, cert, record);
    return record;
  }

  /** Adds a version issued out of band (scenario seeding), e.g. an already-installed certificate. */
  async seedVersion(
    vaultName: string,
    name: string,
    policy: CertificatePolicyWire,
    overrides: RenewOverrides = {},
  ): Promise<CertificateVersionView> {
    const vault = this.requireVault(vaultName);
    if (!vault.certificates.has(name.toLowerCase())) {
      const now = this.clock.now();
      vault.certificates.set(name.toLowerCase(), {
        name,
        policy: normalisePolicy(policy)!,
        policyCreated: now,
        policyUpdated: now,
        versions: [],
        tags: {},
      });
    }
    return this.renewNow(vaultName, name, overrides);
  }

  private resolveIssuer(vault: VaultRecord, issuerName: string): VaultIssuerRecord | 'Self' | undefined {
    const lower = issuerName.toLowerCase();
    if (lower === 'self') return 'Self';
    if (lower === 'unknown') return undefined;
    const issuer = vault.issuers.get(lower);
    if (!issuer) throw new VaultOperationError(400, 'BadParameter', `Issuer not found: ${issuerName}`);
    return issuer;
  }

  private requireVault(name: string): VaultRecord {
    const vault = this.vaults.getVault(name);
    if (!vault) throw new Error(`unknown vault ${name}`);
    return vault;
  }

  private track(p: Promise<unknown>): void {
    const tracked = p.finally(() => {
      this.inflight.delete(tracked);
      this.tick();
    });
    this.inflight.add(tracked);
  }
}

/** Fills the service's defaults into a policy [KV-SPEC]: RSA 2048 exportable, PKCS#12, 12 months. */
export function normalisePolicy(p: CertificatePolicyWire | undefined): CertificatePolicyWire | undefined {
  if (!p) return undefined;
  const kty = p.key_props?.kty ?? 'RSA';
  return {
    ...p,
    key_props: {
      exportable: true,
      kty,
      ...(kty.startsWith('RSA') ? { key_size: 2048 } : { crv: 'P-256' }),
      reuse_key: false,
      ...p.key_props,
    },
    secret_props: { contentType: CONTENT_TYPE_PFX, ...p.secret_props },
    x509_props: { validity_months: 12, ...p.x509_props },
    issuer: { name: 'Unknown', ...p.issuer },
    lifetime_actions: p.lifetime_actions ?? [
      { trigger: { lifetime_percentage: 80 }, action: { action_type: 'AutoRenew' } },
    ],
  };
}

interface ParsedImport {
  der: Buffer;
  chain: Buffer[];
  keyPkcs8: Buffer;
  keyType: 'RSA' | 'EC';
  contentType: string;
}

function pemBlocks(text: string, label: RegExp): Buffer[] {
  const out: Buffer[] = [];
  const re = /-----BEGIN ([A-Z ]+)-----([\s\S]*?)-----END \1-----/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (label.test(m[1]!)) out.push(Buffer.from(m[2]!.replace(/\s+/g, ''), 'base64'));
  }
  return out;
}

function parseImport(value: string, password: string, contentType: string | undefined): ParsedImport {
  const text = value.includes('-----BEGIN') ? value : undefined;
  if (text || contentType === CONTENT_TYPE_PEM) {
    const pem = text ?? Buffer.from(value, 'base64').toString('utf8');
    const certs = pemBlocks(pem, /^CERTIFICATE$/);
    const keyMatch = /-----BEGIN ((?:RSA |EC |ENCRYPTED )?PRIVATE KEY)-----[\s\S]*?-----END \1-----/.exec(
      pem,
    );
    if (certs.length === 0 || !keyMatch) {
      throw new VaultOperationError(
        400,
        'BadParameter',
        'The specified PEM X.509 certificate content is in an unexpected format. Please check if certificate is in valid PEM format.',
      );
    }
    const key = createPrivateKey({ key: keyMatch[0], ...(password ? { passphrase: password } : {}) });
    return {
      der: certs[0]!,
      chain: certs.slice(1),
      keyPkcs8: key.export({ format: 'der', type: 'pkcs8' }),
      keyType: key.asymmetricKeyType === 'ec' ? 'EC' : 'RSA',
      contentType: CONTENT_TYPE_PEM,
    };
  }
  try {
    const p12 = forge.pkcs12.pkcs12FromAsn1(
      forge.asn1.fromDer(Buffer.from(value, 'base64').toString('binary')),
      password,
    );
    const keyBags = [
      ...(p12.getBags({ bagType: forge.pki.oids.pkcs8ShroudedKeyBag! })[
        forge.pki.oids.pkcs8ShroudedKeyBag!
      ] ?? []),
      ...(p12.getBags({ bagType: forge.pki.oids.keyBag! })[forge.pki.oids.keyBag!] ?? []),
    ];
    const certBags = p12.getBags({ bagType: forge.pki.oids.certBag! })[forge.pki.oids.certBag!] ?? [];
    const key = keyBags[0]?.key;
    if (!key || certBags.length === 0) throw new Error('missing key or certificate');
    const pkcs8 = Buffer.from(
      forge.asn1.toDer(forge.pki.wrapRsaPrivateKey(forge.pki.privateKeyToAsn1(key))).getBytes(),
      'binary',
    );
    // forge leaves `cert` null (keeping `asn1`) for certificates with non-RSA keys, e.g. EC CAs.
    const ders = certBags.map((b) => {
      const asn1 = b.cert
        ? forge.pki.certificateToAsn1(b.cert)
        : (b as unknown as { asn1: forge.asn1.Asn1 }).asn1;
      return Buffer.from(forge.asn1.toDer(asn1).getBytes(), 'binary');
    });
    // Leaf = the certificate whose public key matches the private key.
    const pub = normalisePem(
      createPublicKey(createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' }))
        .export({ format: 'pem', type: 'spki' })
        .toString(),
    );
    const leafIndex = Math.max(
      0,
      certBags.findIndex((b) => b.cert && normalisePem(forge.pki.publicKeyToPem(b.cert.publicKey)) === pub),
    );
    const der = ders[leafIndex]!;
    return {
      der,
      chain: ders.filter((_, i) => i !== leafIndex),
      keyPkcs8: pkcs8,
      keyType: 'RSA',
      contentType: CONTENT_TYPE_PFX,
    };
  } catch (err) {
    if (err instanceof VaultOperationError) throw err;
    throw new VaultOperationError(
      400,
      'BadParameter',
      'Private key is not specified in the specified X.509 PEM certificate content or the PFX could not be read. Please specify private key in the X.509 PEM certificate content.',
    );
  }
}

function normalisePem(pem: string): string {
  return pem.replace(/-----[A-Z ]+-----|\s+/g, '');
}
