// The public vocabulary of kv-rollover. Step, reason, phase and condition names are used unchanged in
// plan output, status conditions, Events, log fields and metric labels (design §2, §4): never inline
// these strings elsewhere, import them from here.

/** Steps, per mode. The plan always lists every step of its mode in this order, `Steady` last. */
export const Step = {
  EnsureVaultCertificate: 'EnsureVaultCertificate',
  GrantVaultAccess: 'GrantVaultAccess',
  InstallGoalCertificate: 'InstallGoalCertificate',
  ReachValidStartingState: 'ReachValidStartingState',
  InstallKeyVaultExtension: 'InstallKeyVaultExtension',
  ConvertClusterToCommonName: 'ConvertClusterToCommonName',
  InstallNewVersion: 'InstallNewVersion',
  AddSecondaryThumbprint: 'AddSecondaryThumbprint',
  SwapThumbprints: 'SwapThumbprints',
  RemoveOldThumbprint: 'RemoveOldThumbprint',
  RemoveOldSecret: 'RemoveOldSecret',
  EnsurePool: 'EnsurePool',
  VerifyNodes: 'VerifyNodes',
  Steady: 'Steady',
} as const;
export type StepName = (typeof Step)[keyof typeof Step];

/** Service Fabric `mode: CommonName`. `EnsureVaultCertificate` is present only when a policy is declared. */
export const SERVICE_FABRIC_COMMON_NAME_STEPS = [
  Step.EnsureVaultCertificate,
  Step.GrantVaultAccess,
  Step.InstallGoalCertificate,
  Step.ReachValidStartingState,
  Step.InstallKeyVaultExtension,
  Step.ConvertClusterToCommonName,
  Step.Steady,
] as const satisfies readonly StepName[];

/** Service Fabric `mode: Thumbprint`: one rollover per new vault version. */
export const SERVICE_FABRIC_THUMBPRINT_STEPS = [
  Step.EnsureVaultCertificate,
  Step.InstallNewVersion,
  Step.AddSecondaryThumbprint,
  Step.SwapThumbprints,
  Step.RemoveOldThumbprint,
  Step.RemoveOldSecret,
  Step.Steady,
] as const satisfies readonly StepName[];

/** Batch pools. */
export const BATCH_POOL_STEPS = [
  Step.EnsureVaultCertificate,
  Step.GrantVaultAccess,
  Step.EnsurePool,
  Step.VerifyNodes,
  Step.Steady,
] as const satisfies readonly StepName[];

/** Hazard reasons (design §4). Each is a condition, an Event reason, a log field and a metric label. */
export const Hazard = {
  IssuerNotPinned: 'IssuerNotPinned',
  RenewalNotPresented: 'RenewalNotPresented',
  SanOverlapWithLinkOnRenewal: 'SanOverlapWithLinkOnRenewal',
  CommonNameNotInSan: 'CommonNameNotInSan',
  SelfSignedCommonName: 'SelfSignedCommonName',
  InitialSyncDisabled: 'InitialSyncDisabled',
  VersionedObservedCertificate: 'VersionedObservedCertificate',
  NodeTypeMissingCertificate: 'NodeTypeMissingCertificate',
  ScaleSetNotAutomaticUpgrade: 'ScaleSetNotAutomaticUpgrade',
  VaultAccessMissing: 'VaultAccessMissing',
  CertificateExpiringSoon: 'CertificateExpiringSoon',
  CertificateExpired: 'CertificateExpired',
  NoAutoRenewPolicy: 'NoAutoRenewPolicy',
  ConflictingRotation: 'ConflictingRotation',
  InvalidSpec: 'InvalidSpec',
  PoolRecreationRequired: 'PoolRecreationRequired',
  StringArrayExtensionSettings: 'StringArrayExtensionSettings',
  PolicyChangeRekeys: 'PolicyChangeRekeys',
  VaultIssuanceFailed: 'VaultIssuanceFailed',
  LatestVersionDisabled: 'LatestVersionDisabled',
} as const;
export type HazardReason = (typeof Hazard)[keyof typeof Hazard];

export const Severity = { Blocking: 'blocking', Warning: 'warning', Info: 'info' } as const;
export type HazardSeverity = (typeof Severity)[keyof typeof Severity];

/** Reasons that are not hazards: progress, waits and gates. */
export const Reason = {
  Converged: 'Converged',
  StepInProgress: 'StepInProgress',
  WaitingForClusterReady: 'WaitingForClusterReady',
  WaitingForScaleSetUpgrade: 'WaitingForScaleSetUpgrade',
  WaitingForNodes: 'WaitingForNodes',
  WaitingForVaultOperation: 'WaitingForVaultOperation',
  AwaitingApproval: 'AwaitingApproval',
  OutsideMaintenanceWindow: 'OutsideMaintenanceWindow',
  Suspended: 'Suspended',
  Blocked: 'Blocked',
  AzureError: 'AzureError',
  AzureThrottled: 'AzureThrottled',
  ResourceNotFound: 'ResourceNotFound',
  PermissionDenied: 'PermissionDenied',
  StepExecuted: 'StepExecuted',
  VersionQuarantined: 'VersionQuarantined',
  NewVaultVersion: 'NewVaultVersion',
  RenewalRequested: 'RenewalRequested',
} as const;
export type ReasonName = (typeof Reason)[keyof typeof Reason];

export const Phase = {
  Progressing: 'Progressing',
  AwaitingApproval: 'AwaitingApproval',
  Suspended: 'Suspended',
  Blocked: 'Blocked',
  Stalled: 'Stalled',
  Steady: 'Steady',
} as const;
export type PhaseName = (typeof Phase)[keyof typeof Phase];

export const StepState = {
  Done: 'done',
  Current: 'current',
  Pending: 'pending',
  Blocked: 'blocked',
} as const;
export type StepStateName = (typeof StepState)[keyof typeof StepState];

/** kstatus-compatible condition types plus the domain ones. */
export const ConditionType = {
  Ready: 'Ready',
  Reconciling: 'Reconciling',
  Stalled: 'Stalled',
  HazardsClear: 'HazardsClear',
  NodesConverged: 'NodesConverged',
  CertificateValid: 'CertificateValid',
} as const;
export type ConditionTypeName = (typeof ConditionType)[keyof typeof ConditionType];

/** API group, version and kinds (design §2). */
export const API_GROUP = 'kvrollover.io';
export const API_VERSION = 'v1alpha1';
export const KIND_SERVICE_FABRIC = 'ServiceFabricCertificateRotation';
export const KIND_BATCH_POOL = 'BatchPoolCertificateRotation';
export const PLURAL_SERVICE_FABRIC = 'servicefabriccertificaterotations';
export const PLURAL_BATCH_POOL = 'batchpoolcertificaterotations';

/** Annotations users set on a resource. */
export const Annotation = {
  /** `policy.approval: Manual`: the value names the step approved to run next. */
  ApproveStep: 'kvrollover.io/approve-step',
  /** Request an immediate vault renewal (like `cmctl renew`); the value is any unique token. */
  RenewRequested: 'kvrollover.io/renew-requested',
} as const;

/** Reasons of plan steps that are not current: done before it, or pending after it. */
export const StepReason = {
  Done: 'Done',
  Pending: 'Pending',
} as const;
export type StepReasonName = (typeof StepReason)[keyof typeof StepReason];
