// The changes a Batch pool plan proposes: declarative and complete, one Azure write each. The vault-side
// ops are the Service Fabric planner's own (same shape, same executor semantics).
import type { Change } from '../plan/changes.js';

/** A pool body in the management API's REST form [B-ROT]. */
export interface PoolBody {
  readonly identity?: unknown;
  readonly properties?: Record<string, unknown>;
}

/** The KeyVault extension as a pool declares it, settings in the v3.0 object form [KVW-24][KVL-25]. */
export interface PoolKeyVaultExtensionBody {
  readonly name: string;
  readonly publisher: 'Microsoft.Azure.KeyVault';
  readonly type: string;
  readonly typeHandlerVersion: string;
  readonly autoUpgradeMinorVersion: true;
  readonly settings: {
    readonly secretsManagementSettings: {
      /** Azure expects a string ("3600") [KVW-24]. */
      readonly pollingIntervalInS: string;
      /** Windows only: absent on Linux, where it does not exist [KVL-25]. */
      readonly linkOnRenewal?: boolean;
      readonly requireInitialSync: boolean;
      readonly observedCertificates: ReadonlyArray<{
        readonly url: string;
        readonly certificateStoreLocation: string;
        readonly certificateStoreName?: string;
        readonly keyExportable?: boolean;
      }>;
    };
    readonly authenticationSettings: { readonly msiEndpoint: string; readonly msiClientId: string };
  };
}

export type BatchChange =
  /** Create the pool with exactly this body (`If-None-Match: *`: never overwrites an existing pool). */
  | { readonly op: 'CreatePool'; readonly pool: string; readonly body: PoolBody }
  /**
   * Scale a fixed-scale pool to zero nodes, the first step of a recreation [B-UPD]. `recreateBody` is the
   * pool to create after the delete; the controller keeps it while the pool is gone.
   */
  | {
      readonly op: 'ResizePool';
      readonly pool: string;
      readonly targetDedicatedNodes: 0;
      readonly targetLowPriorityNodes: 0;
      readonly recreateBody: PoolBody;
    }
  /** Delete the idle, empty pool (a long-running operation); `recreateBody` is created next. */
  | { readonly op: 'DeletePool'; readonly pool: string; readonly recreateBody: PoolBody }
  | Extract<
      Change,
      {
        op:
          | 'GrantVaultAccess'
          | 'DisableVaultVersion'
          | 'CreateVaultCertificate'
          | 'UpdateVaultCertificatePolicy';
      }
    >;

export type BatchChangeOp = BatchChange['op'];
