/**
 * The namespace-terminating invariant (plugin/pkg/admission/namespace/lifecycle/admission.go,
 * pkg/controller/namespace/deletion/namespaced_resources_deleter.go): once a namespace is Terminating nothing new is
 * created in it, and it never becomes Active again.
 */
import { NAMESPACED_KINDS } from "../api/registry/registry.js";
import { describe, type Namespace } from "../api/types.js";
import { Findings, type InvariantInfo, type InvariantRegistration } from "./types.js";

/** The namespace-terminating invariant. */
export const NAMESPACE_TERMINATING: InvariantInfo = {
  name: "namespace-terminating",
  statement: "no object is created in a Terminating namespace (Events excepted), and a Terminating namespace never turns Active again",
  when: "every-event",
};

/** namespace-terminating, attributed to the namespace controller. O(1) per write: one lookup of the namespace. */
export const NAMESPACE_TERMINATING_CHECK: InvariantRegistration = {
  ...NAMESPACE_TERMINATING,
  owners: [{ controller: "namespace-controller" }],
  appliesTo: () => true,
  create(cluster) {
    const store = cluster.cp.store;
    const found = new Findings();
    const now = () => cluster.sim.now;
    return {
      watches: ["Namespace", ...NAMESPACED_KINDS.filter((k) => k !== "Event")],
      onWrite(type, obj, old) {
        if (obj.kind === "Namespace") {
          const was = (old as Namespace | undefined)?.status?.phase;
          if (type === "MODIFIED" && was === "Terminating" && (obj as Namespace).status?.phase !== "Terminating") {
            found.add([{ invariant: NAMESPACE_TERMINATING.name, time: now(), object: describe(obj), message: `namespace ${obj.metadata.name} went from Terminating to ${(obj as Namespace).status?.phase ?? "no phase"}` }]);
          }
          return;
        }
        if (type !== "ADDED") return;
        const ns = store.get<Namespace>("Namespace", undefined, obj.metadata.namespace ?? "");
        if (ns?.status?.phase === "Terminating") {
          found.add([{ invariant: NAMESPACE_TERMINATING.name, time: now(), object: describe(obj), message: `${describe(obj)} was created in namespace ${ns.metadata.name}, which is Terminating` }]);
        }
      },
      afterEvent: () => found.take(),
      finish: () => found.take(),
    };
  },
};
