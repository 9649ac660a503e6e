/**
 * NamespaceLifecycle (plugin/pkg/admission/namespace/lifecycle/admission.go): refuses content in a namespace that
 * does not exist or is being terminated, and the deletion of the immortal namespaces.
 */
import { apiFailure } from "../api-result.js";
import { isNamespaced, kindSpec, mustKindSpec } from "../registry/registry.js";
import type { Namespace } from "../types.js";
import type { AdmissionPlugin } from "./plugin.js";

/** Namespaces that may not be deleted (immortalNamespaces: default, kube-system, kube-public). */
export const IMMORTAL_NAMESPACES: ReadonlySet<string> = new Set(["default", "kube-system", "kube-public"]);

/** The plugin. It is a mutating one upstream (Admit), first in the chain, so its refusals come before any other. */
export const namespaceLifecycle: AdmissionPlugin = {
  name: "NamespaceLifecycle",
  enabledByDefault: true,
  operations: ["CREATE", "DELETE"],
  admit(req, { store }) {
    if (req.operation === "DELETE") {
      if (kindSpec(req.kind)?.holdsNamespacedObjects && IMMORTAL_NAMESPACES.has(req.name)) {
        return apiFailure(403, "Forbidden", `namespaces "${req.name}" is forbidden: this namespace may not be deleted`);
      }
      return req.object;
    }
    if (req.operation !== "CREATE" || !isNamespaced(req.kind) || req.namespace === undefined) return req.object;
    const ns = store.get<Namespace>("Namespace", undefined, req.namespace);
    if (!ns) return apiFailure(404, "NotFound", `namespaces "${req.namespace}" not found`);
    if (ns.status?.phase === "Terminating") {
      // apierrors.NewForbidden names the group-qualified resource: `deployments.apps "web" is forbidden: ...`.
      const k = mustKindSpec(req.kind);
      const resource = k.group ? `${k.plural}.${k.group}` : k.plural;
      return apiFailure(403, "Forbidden", `${resource} "${req.name}" is forbidden: unable to create new content in namespace ${req.namespace} because it is being terminated`);
    }
    return req.object;
  },
};
