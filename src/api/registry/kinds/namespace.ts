/** core/v1 Namespace (pkg/registry/core/namespace/strategy.go). */
import type { Namespace } from "../../types.js";
import { defineKind } from "../kind-spec.js";

/** The label every namespace carries with its own name (NamespaceDefaultLabelName, since v1.21). */
export const NAMESPACE_NAME_LABEL = "kubernetes.io/metadata.name";
/** The finalizer a namespace gets on create (FinalizerKubernetes), removed once its content is gone. */
export const NAMESPACE_FINALIZER = "kubernetes";

/** core/v1 Namespace (cluster-scoped, DNS-1123 label names): holds the namespaced objects; deleting it deletes them. */
export const namespaceKind = defineKind<Namespace>({
  group: "",
  version: "v1",
  kind: "Namespace",
  plural: "namespaces",
  singular: "namespace",
  shortNames: ["ns"],
  namespaced: false,
  statusSubresource: true,
  nameRule: "label",
  holdsNamespacedObjects: true,
  /** PrepareForCreate: phase Active, the `kubernetes` finalizer, and the metadata.name label. */
  prepareForCreate: (ns) => ({
    ...ns,
    metadata: { ...ns.metadata, labels: { ...(ns.metadata.labels ?? {}), [NAMESPACE_NAME_LABEL]: ns.metadata.name } },
    spec: { ...(ns.spec ?? {}), finalizers: ns.spec?.finalizers ?? [NAMESPACE_FINALIZER] },
    status: { phase: "Active" },
  }),
});
