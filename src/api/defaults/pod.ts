/**
 * Pod defaulting as the API server decodes a pod or a pod template (pkg/apis/core/v1/defaults.go SetDefaults_Pod,
 * SetDefaults_PodSpec, SetDefaults_Container, SetDefaults_Probe, ...). Each default is a named constant with its
 * source; a spec that already has every default comes back as the same object, so pods created from one template
 * share one spec.
 */
import { isRecord } from "../record.js";
import type { Settings } from "../../settings.js";
import type { Container, PodSpec } from "../types.js";

/** SetDefaults_PodSpec: DNSPolicy ClusterFirst. */
export const DEFAULT_DNS_POLICY = "ClusterFirst";
/** SetDefaults_PodSpec: RestartPolicy Always. */
export const DEFAULT_RESTART_POLICY = "Always";
/** SetDefaults_PodSpec: SchedulerName v1.DefaultSchedulerName. */
export const DEFAULT_SCHEDULER_NAME = "default-scheduler";
/** SetDefaults_Container: TerminationMessagePath v1.TerminationMessagePathDefault. */
export const DEFAULT_TERMINATION_MESSAGE_PATH = "/dev/termination-log";
/** SetDefaults_Container: TerminationMessagePolicy v1.TerminationMessageReadFile. */
export const DEFAULT_TERMINATION_MESSAGE_POLICY = "File";
/** SetDefaults_ContainerPort: Protocol TCP. */
export const DEFAULT_PORT_PROTOCOL = "TCP";
/** SetDefaults_Probe: TimeoutSeconds 1, PeriodSeconds 10, SuccessThreshold 1, FailureThreshold 3. */
export const DEFAULT_PROBE = Object.freeze({ timeoutSeconds: 1, periodSeconds: 10, successThreshold: 1, failureThreshold: 3 });
/** SetDefaults_HTTPGetAction: Scheme HTTP. */
export const DEFAULT_HTTP_SCHEME = "HTTP";
/** SetDefaults_HTTPGetAction: Path "/". */
export const DEFAULT_HTTP_PATH = "/";

/**
 * SetDefaults_Container's image pull policy: Always when the tag is "latest" or there is no tag and no digest,
 * else IfNotPresent (a digest alone means IfNotPresent; "app:latest@sha256:..." means Always). The tag is what follows the last ":" after the last "/"
 * (a registry port is not a tag), as parsers.ParseImageName does.
 */
export function defaultPullPolicy(image: string): "Always" | "IfNotPresent" {
  // ParseImageName: "name[:tag][@digest]"; with neither, the tag is "latest". A digest with the tag "latest" still
  // means Always, as upstream checks the tag alone.
  const at = image.indexOf("@");
  const named = at < 0 ? image : image.slice(0, at);
  const lastSlash = named.lastIndexOf("/");
  const colon = named.indexOf(":", lastSlash + 1);
  const tag = colon < 0 ? (at < 0 ? "latest" : "") : named.slice(colon + 1);
  return tag === "latest" ? "Always" : "IfNotPresent";
}


function defaultProbe(p: unknown): unknown {
  if (!isRecord(p)) return p;
  const out: Record<string, unknown> = { ...p };
  let changed = false;
  for (const [k, v] of Object.entries(DEFAULT_PROBE)) {
    // Go's zero value means unset: SetDefaults_Probe replaces 0 as it replaces a missing field.
    if (out[k] === undefined || out[k] === 0) {
      out[k] = v;
      changed = true;
    }
  }
  if (isRecord(p.httpGet) && (p.httpGet.scheme === undefined || p.httpGet.path === undefined)) {
    out.httpGet = { ...p.httpGet, scheme: p.httpGet.scheme ?? DEFAULT_HTTP_SCHEME, path: p.httpGet.path ?? DEFAULT_HTTP_PATH };
    changed = true;
  }
  return changed ? out : p;
}

/** SetDefaults_Container and the defaults of its ports and probes; the same object when nothing was missing. */
export function defaultContainer(c: Container): Container {
  if (!isRecord(c)) return c;
  let out: Container | undefined;
  const set = (k: string, v: unknown) => ((out ??= { ...c })[k] = v);
  if (c.imagePullPolicy === undefined && typeof c.image === "string") set("imagePullPolicy", defaultPullPolicy(c.image));
  if (c.terminationMessagePath === undefined) set("terminationMessagePath", DEFAULT_TERMINATION_MESSAGE_PATH);
  if (c.terminationMessagePolicy === undefined) set("terminationMessagePolicy", DEFAULT_TERMINATION_MESSAGE_POLICY);
  if (Array.isArray(c.ports) && c.ports.some((p) => isRecord(p) && p.protocol === undefined)) {
    set("ports", c.ports.map((p) => (isRecord(p) && p.protocol === undefined ? { ...p, protocol: DEFAULT_PORT_PROTOCOL } : p)));
  }
  for (const probe of ["livenessProbe", "readinessProbe", "startupProbe"]) {
    const d = defaultProbe(c[probe]);
    if (d !== c[probe]) set(probe, d);
  }
  return out ?? c;
}

/**
 * SetDefaults_PodSpec (and its containers): dnsPolicy, restartPolicy, terminationGracePeriodSeconds (the
 * terminationGracePeriodSeconds setting, upstream 30), securityContext {}, schedulerName. The same object when
 * nothing was missing.
 */
export function defaultPodSpecFields(s: PodSpec, settings: Settings): PodSpec {
  if (!isRecord(s)) return s;
  let out: PodSpec | undefined;
  const set = (k: string, v: unknown) => ((out ??= { ...s })[k] = v);
  if (s.dnsPolicy === undefined) set("dnsPolicy", DEFAULT_DNS_POLICY);
  if (s.restartPolicy === undefined) set("restartPolicy", DEFAULT_RESTART_POLICY);
  if (s.terminationGracePeriodSeconds === undefined) set("terminationGracePeriodSeconds", settings.terminationGracePeriodSeconds);
  if (s.securityContext === undefined) set("securityContext", {});
  if (s.schedulerName === undefined) set("schedulerName", DEFAULT_SCHEDULER_NAME);
  for (const field of ["initContainers", "containers"] as const) {
    const list = s[field];
    if (!Array.isArray(list)) continue;
    // A null item of a Go []Container decodes as the zero Container: validation then says what it lacks.
    const next = list.map((c) => defaultContainer(c === null ? ({} as Container) : c));
    if (next.some((c, i) => c !== list[i])) set(field, next);
  }
  return out ?? s;
}

/** SetDefaults_Pod: enableServiceLinks true (pods only, not templates: DefaultEnableServiceLinks). */
export const DEFAULT_ENABLE_SERVICE_LINKS = true;

/**
 * SetDefaults_Pod's resources rule (pods only, not templates): a container that limits a resource without
 * requesting it requests its limit. The same spec object when nothing was missing.
 */
export function defaultRequestsFromLimits(s: PodSpec): PodSpec {
  let changed = false;
  const fill = (list: Container[] | undefined) =>
    list?.map((c) => {
      if (!isRecord(c)) return c;
      const lim = c.resources?.limits;
      if (!isRecord(lim)) return c;
      const req = (c.resources?.requests ?? {}) as Record<string, unknown>;
      const missing = Object.keys(lim).filter((r) => req[r] === undefined);
      if (missing.length === 0) return c;
      changed = true;
      const requests = { ...req };
      for (const r of missing) requests[r] = lim[r];
      return { ...c, resources: { ...c.resources, requests: requests as Record<string, string> } };
    });
  const containers = fill(s.containers)!;
  const initContainers = fill(s.initContainers);
  return changed ? { ...s, containers, ...(initContainers ? { initContainers } : {}) } : s;
}
