/**
 * A Job reduced to the plain fields that defaulting (pkg/apis/batch/v1/defaults.go) and validation
 * (pkg/apis/batch/validation/validation.go) read. Absent fields are Go's nil pointers.
 */
import type { PodFailurePolicy } from "./pod-failure-policy-types.js";

/** batch/v1 CompletionMode values. */
export type CompletionMode = "NonIndexed" | "Indexed";

/** batch/v1 PodReplacementPolicy values. */
export type PodReplacementPolicy = "TerminatingOrFailed" | "Failed";

/** The pod template facts Job validation reads. */
export interface JobTemplateFacts {
  readonly labels?: Readonly<Record<string, string>>;
  /** spec.template.spec.restartPolicy; "" or absent means unset. */
  readonly restartPolicy?: string;
  /** Names of spec.template.spec.containers. */
  readonly containers?: readonly string[];
  /** Names of spec.template.spec.initContainers. */
  readonly initContainers?: readonly string[];
}

/** batch/v1 JobSpec, plain. Strings are kept wide so that unsupported values can be validated. */
export interface PlainJobSpec {
  readonly parallelism?: number;
  readonly completions?: number;
  readonly activeDeadlineSeconds?: number;
  readonly backoffLimit?: number;
  readonly backoffLimitPerIndex?: number;
  readonly maxFailedIndexes?: number;
  readonly ttlSecondsAfterFinished?: number;
  readonly completionMode?: CompletionMode | string;
  readonly suspend?: boolean;
  readonly manualSelector?: boolean;
  readonly podReplacementPolicy?: PodReplacementPolicy | string;
  readonly podFailurePolicy?: PodFailurePolicy;
  readonly template: JobTemplateFacts;
}

/** A Job: its name, labels and spec. */
export interface PlainJob {
  readonly name: string;
  readonly labels?: Readonly<Record<string, string>>;
  readonly spec: PlainJobSpec;
}
