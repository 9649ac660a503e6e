/**
 * A container's environment as the kubelet builds it before creating the container: pkg/kubelet/kubelet_pods.go
 * makeEnvironmentVariables, with the `$(VAR)` expansion of third_party/forked/golang/expansion. Pure: the ConfigMaps
 * and Secrets come through a ConfigObjects lookup (the kubelet's configmap and secret managers).
 *
 * The values are secret data: they are returned to the caller and nowhere else. Error messages name objects and
 * keys only, as upstream's do.
 */
import { decodeBase64Go } from "../../api/defaults/config.js";
import type { Container } from "../../api/types.js";
import type { ConfigObjects } from "./refs.js";

/** ErrCreateContainerConfig (pkg/kubelet/kuberuntime): the waiting reason of a container whose config failed. */
export const CREATE_CONTAINER_CONFIG_ERROR = "CreateContainerConfigError";

/** core/v1 ConfigMapKeySelector and SecretKeySelector. */
export interface KeySelector {
  readonly name?: string;
  readonly key?: string;
  readonly optional?: boolean;
}

/** core/v1 EnvVar, with the sources the kubelet resolves. */
export interface EnvVar {
  readonly name: string;
  readonly value?: string;
  readonly valueFrom?: {
    readonly configMapKeyRef?: KeySelector;
    readonly secretKeyRef?: KeySelector;
    readonly fieldRef?: unknown;
    readonly resourceFieldRef?: unknown;
  };
}

/** core/v1 EnvFromSource. */
export interface EnvFromSource {
  readonly prefix?: string;
  readonly configMapRef?: { readonly name?: string; readonly optional?: boolean };
  readonly secretRef?: { readonly name?: string; readonly optional?: boolean };
}

/** The environment, in the order its names were first set, or the error that keeps the container from being created. */
export type EnvResult = { readonly ok: true; readonly env: ReadonlyMap<string, string> } | { readonly ok: false; readonly message: string };

/** A container's env and envFrom lists (Container passes other fields through untyped). */
export function containerEnv(c: Container): { env: readonly EnvVar[]; envFrom: readonly EnvFromSource[] } {
  const env = Array.isArray(c.env) ? (c.env as unknown[]).filter(isObject) : [];
  const envFrom = Array.isArray(c.envFrom) ? (c.envFrom as unknown[]).filter(isObject) : [];
  return { env: env as EnvVar[], envFrom: envFrom as EnvFromSource[] };
}

/**
 * makeEnvironmentVariables for `container` of a pod in `namespace`:
 * 1. envFrom first, in order: every key of the ConfigMap's data (or the Secret's data, decoded) as a variable, with
 *    the source's prefix. A missing object fails the container unless the source is optional (then it adds nothing).
 *    v1.32 takes every key as it is: the kubelet's name check and its InvalidEnvironmentVariableNames event went with
 *    RelaxedEnvironmentVariableValidation (kubernetes#123385, v1.30), and ConfigMap and Secret keys are valid names.
 * 2. env, in order, replacing what envFrom set: a literal value with `$(VAR)` references to the variables set so far
 *    expanded; a configMapKeyRef / secretKeyRef read from the object's data. A missing object fails with the
 *    manager's NotFound (`configmap "<name>" not found`, `secret "<name>" not found`), a missing key with
 *    `couldn't find key <key> in ConfigMap <namespace>/<name>` (`... in Secret ...`); an optional one is left out.
 * Each object is read once per call, as upstream caches them by name.
 * NOTE: fieldRef and resourceFieldRef values, and the service environment variables (enableServiceLinks), are not
 * resolved: they never keep a container from starting here, and no value is observable in k8sim.
 */
export function makeEnvironmentVariables(namespace: string, container: Container, objects: ConfigObjects): EnvResult {
  const { env, envFrom } = containerEnv(container);
  const tmp = new Map<string, string>();
  const configMaps = new Map<string, Record<string, string> | null>();
  const secrets = new Map<string, Record<string, string> | null>();
  /** The object's data (Secrets decoded), null when it does not exist. */
  const configMapData = (name: string) => {
    if (!configMaps.has(name)) {
      const cm = objects.configMap(namespace, name);
      // configMapKeyRef and envFrom read data only (binaryData never becomes a variable).
      configMaps.set(name, cm === undefined ? null : (cm.data ?? {}));
    }
    return configMaps.get(name)!;
  };
  const secretData = (name: string) => {
    if (!secrets.has(name)) {
      const s = objects.secret(namespace, name);
      secrets.set(name, s === undefined ? null : decodeAll(s.data));
    }
    return secrets.get(name)!;
  };

  for (const from of envFrom) {
    const prefix = typeof from.prefix === "string" ? from.prefix : "";
    let data: Record<string, string> | null;
    if (isObject(from.configMapRef)) {
      const name = str(from.configMapRef.name);
      data = configMapData(name);
      if (data === null) {
        if (from.configMapRef.optional === true) continue;
        return { ok: false, message: `configmap ${JSON.stringify(name)} not found` };
      }
    } else if (isObject(from.secretRef)) {
      const name = str(from.secretRef.name);
      data = secretData(name);
      if (data === null) {
        if (from.secretRef.optional === true) continue;
        return { ok: false, message: `secret ${JSON.stringify(name)} not found` };
      }
    } else continue;
    for (const [k, v] of Object.entries(data)) tmp.set(prefix + k, v);
  }

  const mapping = (name: string) => tmp.get(name) ?? `$(${name})`;
  for (const e of env) {
    const name = str(e.name);
    let value = typeof e.value === "string" ? e.value : "";
    if (value !== "") value = expand(value, mapping);
    else if (isObject(e.valueFrom)) {
      const cm = e.valueFrom.configMapKeyRef;
      const sk = e.valueFrom.secretKeyRef;
      if (isObject(cm)) {
        const obj = str(cm.name);
        const key = str(cm.key);
        const data = configMapData(obj);
        if (data === null) {
          if (cm.optional === true) continue;
          return { ok: false, message: `configmap ${JSON.stringify(obj)} not found` };
        }
        if (!has(data, key)) {
          if (cm.optional === true) continue;
          return { ok: false, message: `couldn't find key ${key} in ConfigMap ${namespace}/${obj}` };
        }
        value = data[key]!;
      } else if (isObject(sk)) {
        const obj = str(sk.name);
        const key = str(sk.key);
        const data = secretData(obj);
        if (data === null) {
          if (sk.optional === true) continue;
          return { ok: false, message: `secret ${JSON.stringify(obj)} not found` };
        }
        if (!has(data, key)) {
          if (sk.optional === true) continue;
          return { ok: false, message: `couldn't find key ${key} in Secret ${namespace}/${obj}` };
        }
        value = data[key]!;
      }
    }
    tmp.set(name, value);
  }
  return { ok: true, env: tmp };
}

/**
 * expansion.Expand: `$(NAME)` is replaced by mapping(NAME) (which gives `$(NAME)` back for an unknown name), `$$` is
 * a literal `$`, and a `$` that starts no reference (or an unclosed `$(`) stays as written.
 */
export function expand(input: string, mapping: (name: string) => string): string {
  let out = "";
  let checkpoint = 0;
  for (let cursor = 0; cursor < input.length; cursor++) {
    if (input[cursor] !== "$" || cursor + 1 >= input.length) continue;
    out += input.slice(checkpoint, cursor);
    const next = input[cursor + 1];
    let advance = 1;
    if (next === "$") out += "$";
    else if (next === "(") {
      const close = input.indexOf(")", cursor + 2);
      if (close < 0) out += "$(";
      else {
        out += mapping(input.slice(cursor + 2, close));
        advance = close - cursor;
      }
    } else out += `$${next}`;
    cursor += advance;
    checkpoint = cursor + 1;
  }
  return out + input.slice(checkpoint);
}

/** A Secret's data values, base64-decoded as the kubelet holds them ([]byte, used as a string). */
function decodeAll(data: Record<string, string> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(data ?? {})) {
    const r = decodeBase64Go(String(v));
    out[k] = r.ok ? Buffer.from(r.bytes).toString("utf8") : "";
  }
  return out;
}

function has(map: Record<string, string>, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(map, key);
}

function str(x: unknown): string {
  return typeof x === "string" ? x : "";
}

function isObject<T>(x: T): x is T & object {
  return typeof x === "object" && x !== null;
}
