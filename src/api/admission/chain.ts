/**
 * The admission chain: the enabled plugins in upstream's fixed order (pkg/kubeapiserver/options/plugins.go
 * AllOrderedPlugins), mutating phase first, then validating, as the kube-apiserver runs them.
 */
import type { Settings } from "../../settings.js";
import type { ApiFailure } from "../api-result.js";
import type { KubeObject } from "../types.js";
import { defaultTolerationSeconds } from "./default-toleration-seconds.js";
import { namespaceLifecycle } from "./namespace-lifecycle.js";
import { isFailure, type AdmissionContext, type AdmissionOperation, type AdmissionPlugin, type AdmissionRequest } from "./plugin.js";
import { priority } from "./priority.js";
import { serviceAccount } from "./service-account.js";
import { limitRanger } from "./limit-ranger.js";
import { resourceQuota } from "./resource-quota.js";

/** Every modelled plugin, in AllOrderedPlugins order (NamespaceLifecycle, LimitRanger, ServiceAccount, ..., Priority,
 *  DefaultTolerationSeconds, ..., ResourceQuota last but the webhooks and AlwaysDeny). */
export const ADMISSION_PLUGINS: readonly AdmissionPlugin[] = [namespaceLifecycle, limitRanger, serviceAccount, priority, defaultTolerationSeconds, resourceQuota];

/** The modelled plugins on by default, in order. */
export const DEFAULT_ADMISSION_PLUGINS: readonly string[] = ADMISSION_PLUGINS.filter((p) => p.enabledByDefault).map((p) => p.name);

/** The plugins a cluster runs: defaults plus enableAdmissionPlugins minus disableAdmissionPlugins, in order. */
export function enabledPlugins(settings: Pick<Settings, "enableAdmissionPlugins" | "disableAdmissionPlugins">): AdmissionPlugin[] {
  const on = new Set([...DEFAULT_ADMISSION_PLUGINS, ...settings.enableAdmissionPlugins]);
  for (const n of settings.disableAdmissionPlugins) on.delete(n);
  return ADMISSION_PLUGINS.filter((p) => on.has(p.name));
}

/** An ordered chain of plugins, split by phase and operation once, so a request no plugin handles (a lease
 *  renewal) costs nothing. */
export class AdmissionChain {
  private readonly mutating = new Map<AdmissionOperation, AdmissionPlugin[]>();
  private readonly validating = new Map<AdmissionOperation, AdmissionPlugin[]>();
  /** Per operation, per kind: whether any plugin acts (no string built per request). */
  private readonly handled = new Map<AdmissionOperation, Map<string, boolean>>([
    ["CREATE", new Map()],
    ["UPDATE", new Map()],
    ["DELETE", new Map()],
  ]);

  constructor(plugins: readonly AdmissionPlugin[], private readonly ctx: AdmissionContext) {
    for (const op of ["CREATE", "UPDATE", "DELETE"] as const) {
      this.mutating.set(op, plugins.filter((p) => p.admit && p.operations.includes(op)));
      this.validating.set(op, plugins.filter((p) => p.validate && p.operations.includes(op)));
    }
  }

  /** Whether any enabled plugin handles `operation` on `kind` (computed once per pair). */
  handles(operation: AdmissionOperation, kind: string): boolean {
    const byKind = this.handled.get(operation)!;
    let h = byKind.get(kind);
    if (h === undefined) {
      const acts = (p: AdmissionPlugin) => p.kinds === undefined || p.kinds.includes(kind);
      h = this.mutating.get(operation)!.some(acts) || this.validating.get(operation)!.some(acts);
      byKind.set(kind, h);
    }
    return h;
  }

  /** The mutating phase: the object to continue with, or the first refusal. `req.object` is replaced as plugins
   *  change it. */
  admit(req: AdmissionRequest): KubeObject | ApiFailure {
    for (const p of this.mutating.get(req.operation)!) {
      if (p.kinds !== undefined && !p.kinds.includes(req.kind)) continue;
      const r = p.admit!(req, this.ctx);
      if (isFailure(r)) return r;
      req.object = r;
    }
    return req.object;
  }

  /** The validating phase: the first refusal, or undefined. */
  validate(req: AdmissionRequest): ApiFailure | undefined {
    for (const p of this.validating.get(req.operation)!) {
      if (p.kinds !== undefined && !p.kinds.includes(req.kind)) continue;
      const f = p.validate!(req, this.ctx);
      if (f) return f;
    }
    return undefined;
  }
}
