// The Azure side of the simulated world: one object that every emulated service and every resource
// provider shares. AZ-ARM's providers (compute, servicefabric, batch) hook in with
// `registerArmProvider`; scenarios seed it; tests and benchmarks read its clock, counters and faults.

import { randomUUID } from 'node:crypto';
import { VirtualClock } from '../clock.js';
import { RoleAssignmentStore } from './authz.js';
import { RequestCounters } from './counters.js';
import { EventGridEmulator } from './eventgrid.js';
import { FaultInjector } from './faults.js';
import { IdentityStore } from './identity/store.js';
import { CaRegistry } from './keyvault/ca.js';
import { CertificateEngine } from './keyvault/engine.js';
import { VaultStore } from './keyvault/store.js';
import { LroManager } from './lro.js';
import { Router } from './router.js';
import type { ThrottleLimits } from './throttle.js';
import { AZURE_LIMITS, Throttler } from './throttle.js';

/**
 * A resource provider: registers its routes on `world.router` (host kind `arm`, or `batch` for the Batch
 * data plane) and may subscribe to `world.clock.onAdvance`. Called once, at registration.
 */
export type ArmProvider = (world: AzureWorld) => void;

export interface AzureWorldOptions {
  /** Simulated Azure time; shared with the Kubernetes side when given. */
  readonly clock?: VirtualClock;
  readonly tenantId?: string;
  readonly subscriptionId?: string;
  /** Throttling at Azure's documented limits is on unless `false`; pass limits to override them. */
  readonly throttling?: boolean | Partial<ThrottleLimits>;
  /** `Retry-After` seconds on LRO responses (default 1; tests use 0 so pollers do not wait). */
  readonly lroRetryAfterSeconds?: number;
  /**
   * Virtual ms a Key Vault certificate creation stays `inProgress` before the issuer answers
   * (default 0: completes at the first status poll after the next clock tick or poll).
   */
  readonly certificateIssuanceDelayMs?: number;
  /** Key Vault list page size (Key Vault's default and maximum is 25). */
  readonly vaultPageSize?: number;
  /** Pre-generated RSA-2048 keys for leaves (PKCS#8 DER); the CA generates more as needed. */
  readonly rsaKeyPool?: readonly Buffer[];
}

export interface ResourceGroupRecord {
  readonly subscriptionId: string;
  readonly name: string;
  readonly location: string;
}

export class AzureWorld {
  readonly clock: VirtualClock;
  readonly tenantId: string;
  readonly subscriptionId: string;
  readonly router = new Router();
  readonly counters = new RequestCounters();
  readonly faults = new FaultInjector();
  readonly throttle: Throttler;
  readonly identities: IdentityStore;
  readonly roleAssignments = new RoleAssignmentStore();
  readonly vaults: VaultStore;
  readonly cas: CaRegistry;
  /** Certificate lifecycle (create, renew, import, auto-renewal) and the scenario controls. */
  readonly certificates: CertificateEngine;
  /** Key Vault system topics: webhook subscriptions get CertificateNewVersionCreated events. */
  readonly eventGrid: EventGridEmulator;
  readonly lro: LroManager;
  readonly certificateIssuanceDelayMs: number;
  readonly vaultPageSize: number;
  private readonly resourceGroups = new Map<string, ResourceGroupRecord>();

  constructor(options: AzureWorldOptions = {}) {
    this.clock = options.clock ?? new VirtualClock();
    this.tenantId = options.tenantId ?? randomUUID();
    this.subscriptionId = options.subscriptionId ?? randomUUID();
    const limits =
      typeof options.throttling === 'object' ? { ...AZURE_LIMITS, ...options.throttling } : AZURE_LIMITS;
    this.throttle = new Throttler(limits, options.throttling !== false);
    this.identities = new IdentityStore(this.tenantId);
    this.vaults = new VaultStore(this.roleAssignments);
    this.cas = new CaRegistry(this.clock, options.rsaKeyPool ?? []);
    this.certificateIssuanceDelayMs = options.certificateIssuanceDelayMs ?? 0;
    this.vaultPageSize = options.vaultPageSize ?? 25;
    this.certificates = new CertificateEngine(
      this.clock,
      this.vaults,
      this.cas,
      this.certificateIssuanceDelayMs,
    );
    this.eventGrid = new EventGridEmulator(this.certificates, this.clock);
    this.lro = new LroManager(this.clock, this.router, {
      retryAfterSeconds: options.lroRetryAfterSeconds ?? 1,
      injectedFailure: (operation) => this.faults.takeLroFailure(operation),
    });
  }

  /** Waits for background work (certificate issuance) to finish; call after `clock.advance`. */
  async settle(): Promise<void> {
    await this.certificates.settle();
  }

  /** Lets a resource provider register its routes (and clock listeners) against this world. */
  registerArmProvider(provider: ArmProvider): void {
    provider(this);
  }

  addResourceGroup(
    name: string,
    location: string,
    subscriptionId = this.subscriptionId,
  ): ResourceGroupRecord {
    const rg = { subscriptionId, name, location };
    this.resourceGroups.set(`${subscriptionId}/${name}`.toLowerCase(), rg);
    return rg;
  }

  /** The world's subscription, or one a resource group was added in (case-insensitive). */
  knowsSubscription(subscriptionId: string): boolean {
    const id = subscriptionId.toLowerCase();
    if (id === this.subscriptionId.toLowerCase()) return true;
    for (const rg of this.resourceGroups.values()) if (rg.subscriptionId.toLowerCase() === id) return true;
    return false;
  }

  /** Resource groups compare case-insensitively, as ARM does. */
  getResourceGroup(name: string, subscriptionId = this.subscriptionId): ResourceGroupRecord | undefined {
    return this.resourceGroups.get(`${subscriptionId}/${name}`.toLowerCase());
  }
}
