/**
 * Object shapes of core/v1 ResourceQuota and LimitRange (k8s.io/api core/v1/types.go), with the field names of the
 * API reference. Quantities stay strings as written; k8sim parses them where it compares them.
 */
import type { KubeObject } from "../types.js";
import type { QuotaScope } from "./pod-usage.js";

/** core/v1 ScopeSelector: scope requirements, all of which must match. */
export interface ScopeSelector {
  matchExpressions?: QuotaScope[];
}

/** core/v1 ResourceQuotaSpec. */
export interface ResourceQuotaSpec {
  hard?: Record<string, string>;
  scopes?: string[];
  scopeSelector?: ScopeSelector;
  [field: string]: unknown;
}

/** core/v1 ResourceQuotaStatus: written by the quota controller and by the ResourceQuota admission plugin. */
export interface ResourceQuotaStatus {
  hard?: Record<string, string>;
  used?: Record<string, string>;
}

/** core/v1 ResourceQuota. */
export interface ResourceQuota extends KubeObject {
  kind: "ResourceQuota";
  spec?: ResourceQuotaSpec;
  status?: ResourceQuotaStatus;
}

/** core/v1 LimitType values. */
export type LimitType = "Pod" | "Container" | "PersistentVolumeClaim";

/** core/v1 LimitRangeItem. */
export interface LimitRangeItem {
  type: LimitType | string;
  max?: Record<string, string>;
  min?: Record<string, string>;
  default?: Record<string, string>;
  defaultRequest?: Record<string, string>;
  maxLimitRequestRatio?: Record<string, string>;
}

/** core/v1 LimitRange. */
export interface LimitRange extends KubeObject {
  kind: "LimitRange";
  spec: { limits: LimitRangeItem[] };
}
