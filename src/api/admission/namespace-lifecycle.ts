/**
 * NamespaceLifecycle (plugin/pkg/admission/namespace/lifecycle/admission.go): refuses content in a namespace that
 * does not exist or is being terminated, and the deletion of the immortal namespaces.
 */
import { apiFailure } from "../api-result.js";
import { isNamespaced } from "../registry/registry.js";
import type { Namespace } from "../types.js";
import type { AdmissionPlugin } from "./plugin.js";

/** Namespaces that may not be deleted (immortalNamespaces: default, kube-system, kube-public). */
export const IMMORTAL_NAMESPACES: ReadonlySet<string> = new Set(["default", "kube-system", "kube-public"]);

export const namespaceLifecycle: AdmissionPlugin = {
  name: "NamespaceLifecycle",
  operations: ["CREATE", "DELETE"],
  validate(req, { store }) {
    if (req.operation === "DELETE") {
      if (req.kind === "Namespace" && IMMORTAL_NAMESPACES.has(req.name)) {
        return apiFailure(403, "Forbidden", `namespaces "${req.name}" is forbidden: this namespace may not be deleted`);
      }
      return undefined;
    }
    if (req.operation !== "CREATE" || !isNamespaced(req.kind) || req.namespace === undefined) return undefined;
    const ns = store.get<Namespace>("Namespace", undefined, req.namespace);
    if (!ns) return apiFailure(404, "NotFound", `namespaces "${req.namespace}" not found`);
    if (ns.status?.phase === "Terminating") {
      return apiFailure(403, "Forbidden", `${req.kind.toLowerCase()}s "${req.name}" is forbidden: unable to create new content in namespace ${req.namespace} because it is being terminated`);
    }
    return undefined;
  },
};
