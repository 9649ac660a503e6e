/**
 * Invariants of the tenancy machinery: the ServiceAccount admission plugin admits a pod only naming an account that
 * exists (plugin/pkg/admission/serviceaccount), LimitRanger admits a pod only within its namespace's limit ranges
 * (plugin/pkg/admission/limitranger), every Active namespace holds the `default` account and the kube-root-ca.crt
 * ConfigMap (serviceaccounts_controller.go, rootcacertpublisher/publisher.go), and a service-account token Secret
 * is populated while its account exists and goes when it does not (tokens_controller.go).
 */
import type { LimitRange } from "../api/quota/types.js";
import { podLimitViolations } from "../api/admission/limit-ranger.js";
import { DEFAULT_SERVICE_ACCOUNT, NAMESPACE_KEY, ROOT_CA_CONFIG_MAP, ROOT_CA_KEY, SERVICE_ACCOUNT_NAME_ANNOTATION, SERVICE_ACCOUNT_UID_ANNOTATION, TOKEN_KEY, type ServiceAccount } from "../api/serviceaccount/types.js";
import { describe, type ConfigMap, type KubeObject, type Namespace, type Pod, type Secret } from "../api/types.js";
import type { Cluster } from "../cluster.js";
import { perWriteCheck } from "./per-write.js";
import { Findings, NONE, type InvariantCheck, type InvariantInfo, type InvariantRegistration, type Violation } from "./types.js";

/** The pod-service-account invariant. */
export const POD_SERVICE_ACCOUNT: InvariantInfo = {
  name: "pod-service-account",
  statement: "every pod is created naming (spec.serviceAccountName) a ServiceAccount that exists in its namespace at that moment",
  when: "every-event",
};

/** The limit-range-admitted invariant. */
export const LIMIT_RANGE_ADMITTED: InvariantInfo = {
  name: "limit-range-admitted",
  statement: "every pod is created within the min, max and maxLimitRequestRatio of each LimitRange of its namespace at that moment",
  when: "every-event",
};

/** The namespace-defaults invariant. */
export const NAMESPACE_DEFAULTS: InvariantInfo = {
  name: "namespace-defaults",
  statement: "every Active namespace holds the ServiceAccount `default` and the ConfigMap kube-root-ca.crt with a ca.crt key, restored within a minute when deleted",
  when: "every-event",
};

/** The service-account-tokens invariant. */
export const SERVICE_ACCOUNT_TOKENS: InvariantInfo = {
  name: "service-account-tokens",
  statement:
    "within a minute of any change, a kubernetes.io/service-account-token Secret naming an existing ServiceAccount holds token, ca.crt and namespace and that account's uid, and one naming no existing account is gone",
  when: "every-event",
};

/** How long a controller may take to restore what it keeps (its queue, client and the informer latency). */
const lag = (cluster: Cluster) => 60_000 + 4 * cluster.settings.informerLatency + 2 * cluster.settings.apiRequestLatency;

/** pod-service-account, attributed to the ServiceAccount kind. */
export const POD_SERVICE_ACCOUNT_CHECK: InvariantRegistration = {
  ...POD_SERVICE_ACCOUNT,
  owners: [{ kind: "ServiceAccount" }],
  // Only where the admission plugin runs.
  appliesTo: (cluster) => !cluster.settings.disableAdmissionPlugins.includes("ServiceAccount"),
  create: (cluster) =>
    perWriteCheck(["Pod"], () => cluster.sim.now, (type, obj, _old, time) => {
      if (type !== "ADDED") return NONE;
      const pod = obj as Pod;
      const name = pod.spec.serviceAccountName;
      if (name !== undefined && cluster.cp.store.get("ServiceAccount", pod.metadata.namespace, name)) return NONE;
      return [{ invariant: POD_SERVICE_ACCOUNT.name, time, object: describe(obj), message: name === undefined ? "created without spec.serviceAccountName" : `created naming ServiceAccount ${name}, which does not exist in namespace ${pod.metadata.namespace}` }];
    }),
};

/** limit-range-admitted, attributed to the LimitRange kind. */
export const LIMIT_RANGE_ADMITTED_CHECK: InvariantRegistration = {
  ...LIMIT_RANGE_ADMITTED,
  owners: [{ kind: "LimitRange" }],
  appliesTo: (cluster) => !cluster.settings.disableAdmissionPlugins.includes("LimitRanger"),
  create: (cluster) =>
    perWriteCheck(["Pod"], () => cluster.sim.now, (type, obj, _old, time) => {
      if (type !== "ADDED") return NONE;
      const pod = obj as Pod;
      let out: Violation[] | undefined;
      for (const lr of cluster.cp.store.list<LimitRange>("LimitRange")) {
        if (lr.metadata.namespace !== pod.metadata.namespace) continue;
        for (const m of podLimitViolations(lr, pod)) (out ??= []).push({ invariant: LIMIT_RANGE_ADMITTED.name, time, object: describe(obj), message: `created outside LimitRange ${lr.metadata.name}: ${m}` });
      }
      return out ?? NONE;
    }),
};

/**
 * A check that re-judges keys marked dirty by writes, after each event: a key whose problem persists past `bound`
 * ms is reported once (until it clears); at a quiescent end every remaining problem is reported.
 */
function lagCheck(
  info: InvariantInfo,
  kinds: readonly string[],
  keysOf: (obj: KubeObject) => readonly string[],
  problemOf: (key: string) => { object: string; message: string } | undefined,
  bound: number,
  now: () => number,
  initial: () => Iterable<string>,
  /** When the control plane works normally again (ControlPlane.disturbedUntilMs): no lag counts before it. */
  downUntil: () => number,
): InvariantCheck {
  const dirty = new Set<string>(initial());
  const since = new Map<string, number>();
  const reported = new Set<string>();
  const found = new Findings();
  const judge = (key: string, time: number, atEnd: boolean) => {
    const p = problemOf(key);
    if (p === undefined) {
      since.delete(key);
      reported.delete(key);
      return;
    }
    const t = since.get(key) ?? time;
    since.set(key, t);
    // No controller can write while the API server is down: the lag counts from the outage's end.
    if ((atEnd || time - Math.max(t, downUntil()) > bound) && !reported.has(key)) {
      reported.add(key);
      found.add([{ invariant: info.name, time, object: p.object, message: atEnd ? `at the quiescent end: ${p.message}` : `${p.message} (for ${time - t}ms)` }]);
    }
  };
  return {
    watches: kinds,
    onWrite(_type, obj) {
      for (const k of keysOf(obj)) dirty.add(k);
    },
    afterEvent() {
      const time = now();
      if (dirty.size === 0 && since.size === 0) return NONE;
      for (const k of since.keys()) dirty.add(k);
      for (const k of dirty) judge(k, time, false);
      dirty.clear();
      return found.take();
    },
    finish(end, quiescent) {
      if (quiescent) for (const k of since.keys()) judge(k, end, true);
      return found.take();
    },
  };
}

/** namespace-defaults, attributed to the serviceaccounts controller and the root CA publisher. */
export const NAMESPACE_DEFAULTS_CHECK: InvariantRegistration = {
  ...NAMESPACE_DEFAULTS,
  owners: [{ controller: "serviceaccount-controller" }, { controller: "root-ca-certificate-publisher-controller" }],
  create(cluster) {
    const store = cluster.cp.store;
    return lagCheck(
      NAMESPACE_DEFAULTS,
      ["Namespace", "ServiceAccount", "ConfigMap"],
      (o) => [o.kind === "Namespace" ? o.metadata.name : (o.metadata.namespace ?? "")],
      (ns) => {
        const n = store.get<Namespace>("Namespace", undefined, ns);
        if (!n || n.status?.phase === "Terminating" || n.metadata.deletionTimestamp) return undefined;
        const missing: string[] = [];
        if (!store.get<ServiceAccount>("ServiceAccount", ns, DEFAULT_SERVICE_ACCOUNT)) missing.push("ServiceAccount default");
        const cm = store.get<ConfigMap>("ConfigMap", ns, ROOT_CA_CONFIG_MAP);
        if (!cm || cm.data?.[ROOT_CA_KEY] === undefined) missing.push(`ConfigMap ${ROOT_CA_CONFIG_MAP} with ${ROOT_CA_KEY}`);
        return missing.length ? { object: `Namespace/${ns}`, message: `Active namespace ${ns} lacks ${missing.join(" and ")}` } : undefined;
      },
      lag(cluster),
      () => cluster.sim.now,
      () => [...store.list<Namespace>("Namespace")].map((n) => n.metadata.name),
      () => cluster.cp.disturbedUntilMs,
    );
  },
};

/** service-account-tokens, attributed to the token controller. */
export const SERVICE_ACCOUNT_TOKENS_CHECK: InvariantRegistration = {
  ...SERVICE_ACCOUNT_TOKENS,
  owners: [{ controller: "serviceaccount-token-controller" }],
  create(cluster) {
    const store = cluster.cp.store;
    const TOKEN_TYPE = "kubernetes.io/service-account-token";
    // Keys "ns/secret"; a ServiceAccount write marks its namespace's token Secrets.
    const tokensIn = new Map<string, Set<string>>();
    const keysOf = (o: KubeObject): string[] => {
      const ns = o.metadata.namespace ?? "";
      if (o.kind === "Secret") {
        let s = tokensIn.get(ns);
        if ((o as Secret).type === TOKEN_TYPE) {
          if (!s) tokensIn.set(ns, (s = new Set()));
          s.add(o.metadata.name);
        }
        return [`${ns}/${o.metadata.name}`];
      }
      return [...(tokensIn.get(ns) ?? [])].map((n) => `${ns}/${n}`);
    };
    return lagCheck(
      SERVICE_ACCOUNT_TOKENS,
      ["Secret", "ServiceAccount"],
      keysOf,
      (key) => {
        const i = key.indexOf("/");
        const [ns, name] = [key.slice(0, i), key.slice(i + 1)];
        const s = store.get<Secret>("Secret", ns, name);
        if (!s || s.type !== TOKEN_TYPE) {
          tokensIn.get(ns)?.delete(name);
          return undefined;
        }
        const object = `Secret/${ns}/${name}`;
        const saName = s.metadata.annotations?.[SERVICE_ACCOUNT_NAME_ANNOTATION];
        const sa = saName === undefined ? undefined : store.get<ServiceAccount>("ServiceAccount", ns, saName);
        const uid = s.metadata.annotations?.[SERVICE_ACCOUNT_UID_ANNOTATION];
        if (!sa || (uid !== undefined && uid !== sa.metadata.uid)) return { object, message: `token Secret of ServiceAccount ${saName ?? "(none)"}, which does not exist${sa ? " with that uid" : ""}, is still there` };
        const missing = [TOKEN_KEY, ROOT_CA_KEY, NAMESPACE_KEY].filter((k) => s.data?.[k] === undefined);
        if (missing.length || uid === undefined) return { object, message: `token Secret of ServiceAccount ${saName} lacks ${[...missing.map((k) => `data[${k}]`), ...(uid === undefined ? [SERVICE_ACCOUNT_UID_ANNOTATION] : [])].join(", ")}` };
        return undefined;
      },
      lag(cluster),
      () => cluster.sim.now,
      () => [],
      () => cluster.cp.disturbedUntilMs,
    );
  },
};
