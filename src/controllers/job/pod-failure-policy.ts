/**
 * Matching a failed pod against a Job's spec.podFailurePolicy (pkg/controller/job/pod_failure_policy.go
 * matchPodFailurePolicy): rules in order, the first match decides. Pure; the message texts are upstream's.
 */

import type { PodFailurePolicy, PodFailurePolicyAction, PodFailurePolicyOnExitCodesRequirement, PodFailurePolicyOnPodConditionsPattern } from "../../api/batch/pod-failure-policy-types.js";

export type { PodFailurePolicy, PodFailurePolicyAction, PodFailurePolicyOnExitCodesRequirement, PodFailurePolicyOnPodConditionsPattern, PodFailurePolicyRule } from "../../api/batch/pod-failure-policy-types.js";

/** A container status reduced to its name and, when terminated, its exit code. */
export interface ContainerExit {
  readonly name: string;
  readonly terminated?: { readonly exitCode: number };
}

/** The failed pod as matchPodFailurePolicy reads it. */
export interface FailedPodFacts {
  readonly namespace: string;
  readonly name: string;
  readonly containerStatuses?: readonly ContainerExit[];
  readonly initContainerStatuses?: readonly ContainerExit[];
  readonly conditions?: readonly { readonly type: string; readonly status: string }[];
}

/** matchPodFailurePolicy's three results. */
export interface PodFailurePolicyMatch {
  /** Set only for a FailJob match: the text of the Job's Failed condition. */
  readonly jobFailureMessage?: string;
  /** Whether the failure counts towards backoffLimit / backoffLimitPerIndex: false only for Ignore. */
  readonly countFailed: boolean;
  /** The matched rule's action; absent when no rule matched (or there is no policy). */
  readonly action?: PodFailurePolicyAction;
}

const NO_MATCH: PodFailurePolicyMatch = { countFailed: true };

function exitCodeMatches(exitCode: number, req: PodFailurePolicyOnExitCodesRequirement): boolean {
  switch (req.operator) {
    case "In":
      return req.values.includes(exitCode);
    case "NotIn":
      return !req.values.includes(exitCode);
    default:
      return false;
  }
}

/** getMatchingContainerFromList: the first terminated container (of the named one, if any) with a non-zero exit code the requirement matches. */
function matchingContainer(statuses: readonly ContainerExit[] | undefined, req: PodFailurePolicyOnExitCodesRequirement): ContainerExit | undefined {
  for (const s of statuses ?? []) {
    if (!s.terminated) continue;
    if (req.containerName !== undefined && req.containerName !== s.name) continue;
    if (s.terminated.exitCode !== 0 && exitCodeMatches(s.terminated.exitCode, req)) return s;
  }
  return undefined;
}

/** matchOnExitCodes: regular containers first, then init containers. */
export function matchOnExitCodes(pod: FailedPodFacts, req: PodFailurePolicyOnExitCodesRequirement): ContainerExit | undefined {
  return matchingContainer(pod.containerStatuses, req) ?? matchingContainer(pod.initContainerStatuses, req);
}

/** matchOnPodConditions: the first pod condition (in the pod's order) equal in type and status to any pattern. */
export function matchOnPodConditions(pod: FailedPodFacts, patterns: readonly PodFailurePolicyOnPodConditionsPattern[]): { type: string; status: string } | undefined {
  for (const c of pod.conditions ?? []) {
    for (const p of patterns) if (c.type === p.type && c.status === p.status) return c;
  }
  return undefined;
}

/**
 * pod_failure_policy.go matchPodFailurePolicy. A rule with onExitCodes is matched on exit codes only (onPodConditions
 * is then not looked at); otherwise on its pod conditions. Ignore -> not counted; Count and FailIndex -> counted;
 * FailJob -> counted, with the message
 * `Container NAME for pod NS/POD failed with exit code N matching FailJob rule at index I` or
 * `Pod NS/POD has condition TYPE matching FailJob rule at index I`. A rule whose action is unknown is skipped.
 * NOTE: FailIndex is returned unconditionally: the JobBackoffLimitPerIndex gate it checks is GA (on) since v1.33.
 */
export function matchPodFailurePolicy(policy: PodFailurePolicy | undefined, pod: FailedPodFacts): PodFailurePolicyMatch {
  if (!policy) return NO_MATCH;
  for (const [index, rule] of policy.rules.entries()) {
    let subject: string | undefined;
    if (rule.onExitCodes) {
      const c = matchOnExitCodes(pod, rule.onExitCodes);
      if (c) subject = `Container ${c.name} for pod ${pod.namespace}/${pod.name} failed with exit code ${c.terminated!.exitCode}`;
    } else if (rule.onPodConditions) {
      const c = matchOnPodConditions(pod, rule.onPodConditions);
      if (c) subject = `Pod ${pod.namespace}/${pod.name} has condition ${c.type}`;
    }
    if (subject === undefined) continue;
    switch (rule.action) {
      case "Ignore":
        return { countFailed: false, action: "Ignore" };
      case "FailIndex":
        return { countFailed: true, action: "FailIndex" };
      case "Count":
        return { countFailed: true, action: "Count" };
      case "FailJob":
        return { jobFailureMessage: `${subject} matching FailJob rule at index ${index}`, countFailed: true, action: "FailJob" };
    }
  }
  return NO_MATCH;
}
