/** batch/v1 PodFailurePolicy shapes (k8s.io/api/batch/v1/types.go), read by Job defaulting, validation and the Job controller. */

/** batch/v1 PodFailurePolicyAction. */
export type PodFailurePolicyAction = "FailJob" | "FailIndex" | "Ignore" | "Count";

/** batch/v1 PodFailurePolicyOnExitCodesRequirement. */
export interface PodFailurePolicyOnExitCodesRequirement {
  readonly containerName?: string;
  /** "In" | "NotIn"; any other operator matches nothing (isOnExitCodesOperatorMatching default). */
  readonly operator: string;
  readonly values: readonly number[];
}

/** batch/v1 PodFailurePolicyOnPodConditionsPattern. */
export interface PodFailurePolicyOnPodConditionsPattern {
  readonly type: string;
  /** "True" | "False" | "Unknown"; defaults to "True" (see setDefaultsJob). */
  readonly status: string;
}

/** batch/v1 PodFailurePolicyRule. */
export interface PodFailurePolicyRule {
  /** A string so that an unknown action (skipped, as upstream's switch falls out) can be represented. */
  readonly action: PodFailurePolicyAction | string;
  readonly onExitCodes?: PodFailurePolicyOnExitCodesRequirement;
  readonly onPodConditions?: readonly PodFailurePolicyOnPodConditionsPattern[];
}

/** batch/v1 PodFailurePolicy. */
export interface PodFailurePolicy {
  readonly rules: readonly PodFailurePolicyRule[];
}
