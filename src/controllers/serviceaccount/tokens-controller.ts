/**
 * The token controller (pkg/controller/serviceaccount/tokens_controller.go) as v1.32 runs it: it creates no token
 * Secrets itself (the legacy auto-created ones are gone since v1.24), but a Secret of type
 * kubernetes.io/service-account-token that names an account (annotation kubernetes.io/service-account.name) is
 * populated with data `token` (a seeded stand-in), `ca.crt` (the cluster CA stand-in) and `namespace`, and gets the
 * kubernetes.io/service-account.uid annotation; such a Secret whose account does not exist (or has another uid) is
 * deleted, and an account's token Secrets are deleted when it is. A deleted token Secret is removed from its
 * account's `secrets` list. No events (upstream records none).
 *
 * Token values are secret data: they live only in Secret.data, which no output of k8sim prints.
 */
import type { ApiResult } from "../../api/api-result.js";
import type { ApiClient } from "../../api/client.js";
import type { ControlPlane } from "../../api/control-plane.js";
import { CLUSTER_CA_STREAM, standInRootCA, standInToken } from "../../api/serviceaccount/stand-ins.js";
import {
  NAMESPACE_KEY,
  ROOT_CA_KEY,
  SERVICE_ACCOUNT_NAME_ANNOTATION,
  SERVICE_ACCOUNT_TOKEN_TYPE,
  SERVICE_ACCOUNT_UID_ANNOTATION,
  TOKEN_KEY,
  type ServiceAccount,
} from "../../api/serviceaccount/types.js";
import type { Secret } from "../../api/types.js";
import type { Rng } from "../../engine/rng.js";
import { WorkQueue, type ObjectKey } from "../runtime.js";

/** The syncServiceAccountQueue key: namespace, name and uid of the account (`<namespace>/<name>/<uid>`). */
interface AccountKey extends ObjectKey {
  readonly namespace: string;
  readonly account: string;
  readonly uid: string;
}

/** The syncSecretQueue key (secretQueueKey): the Secret's namespace, name and uid, and the account it names. */
interface SecretKey extends ObjectKey {
  readonly namespace: string;
  readonly secret: string;
  readonly uid: string;
  readonly saName: string;
  /** Empty when the Secret has no uid annotation yet. */
  readonly saUID: string;
}

/**
 * apiserverserviceaccount.IsServiceAccountToken: the Secret is a token of the account with this name and uid (the
 * type is service-account-token, the name annotation matches, and the uid annotation is absent or matches).
 */
export function isServiceAccountToken(secret: Secret, sa: { name: string; uid: string }): boolean {
  if (secret.type !== SERVICE_ACCOUNT_TOKEN_TYPE) return false;
  const a = secret.metadata.annotations ?? {};
  if (a[SERVICE_ACCOUNT_NAME_ANNOTATION] !== sa.name) return false;
  const uid = a[SERVICE_ACCOUNT_UID_ANNOTATION] ?? "";
  return uid === "" || uid === sa.uid;
}

/** What a token Secret lacks (secretUpdateNeeded): the CA differs from `rootCA`, the namespace or token is empty. */
export function secretUpdateNeeded(secret: Secret, rootCA: string): { ca: boolean; namespace: boolean; token: boolean } {
  const data = secret.data ?? {};
  const decoded = (k: string) => (typeof data[k] === "string" ? Buffer.from(data[k], "base64").toString("utf8") : "");
  return { ca: rootCA !== "" && decoded(ROOT_CA_KEY) !== rootCA, namespace: decoded(NAMESPACE_KEY) === "", token: decoded(TOKEN_KEY) === "" };
}

/**
 * generateTokenIfNeeded's write: the Secret with what it lacks filled in (values base64 as Secret.data holds them;
 * `token()` is called only when the token is missing) and the account's name and uid annotations; undefined when it
 * lacks nothing.
 */
export function populatedToken(secret: Secret, sa: ServiceAccount, rootCA: string, token: () => string): Secret | undefined {
  const need = secretUpdateNeeded(secret, rootCA);
  if (!need.ca && !need.namespace && !need.token) return undefined;
  const data = { ...(secret.data ?? {}) };
  const b64 = (s: string) => Buffer.from(s, "utf8").toString("base64");
  if (need.ca) data[ROOT_CA_KEY] = b64(rootCA);
  if (need.namespace) data[NAMESPACE_KEY] = b64(secret.metadata.namespace ?? "default");
  if (need.token) data[TOKEN_KEY] = b64(token());
  const annotations = { ...(secret.metadata.annotations ?? {}), [SERVICE_ACCOUNT_NAME_ANNOTATION]: sa.metadata.name, [SERVICE_ACCOUNT_UID_ANNOTATION]: sa.metadata.uid ?? "" };
  return { ...secret, metadata: { ...secret.metadata, annotations }, data };
}

/** The controller; constructed by the controller manager as "serviceaccount-token-controller". */
export class TokensController {
  private readonly accountQueue: WorkQueue;
  private readonly secretQueue: WorkQueue;
  private readonly client: ApiClient;
  private readonly rootCA: string;
  private readonly tokens: Rng;
  /** Token Secrets by "<namespace>/<account name>" and then Secret name, as the informer shows them (listTokenSecrets
   *  without a pass over the namespace's Secrets). */
  private readonly byAccount = new Map<string, Map<string, Secret>>();

  constructor(private readonly cp: ControlPlane) {
    this.rootCA = standInRootCA(cp.sim.stream(CLUSTER_CA_STREAM));
    this.tokens = cp.sim.stream("serviceaccount-token-controller/tokens");
    this.client = cp.client("serviceaccount-token-controller", "controllerManager");
    this.accountQueue = new WorkQueue(cp.sim, "serviceaccount-token-controller/serviceaccounts", (k) => this.syncServiceAccount(k as AccountKey));
    this.secretQueue = new WorkQueue(cp.sim, "serviceaccount-token-controller/secrets", (k) => this.syncSecret(k as SecretKey));
    const queueAccount = (sa: ServiceAccount) => {
      const m = sa.metadata;
      if (!m.uid) return;
      const key: AccountKey = { namespace: m.namespace!, name: `${m.name}/${m.uid}`, account: m.name, uid: m.uid };
      this.accountQueue.add(key);
    };
    cp.informers.serviceAccounts.addHandlers({ onAdd: queueAccount, onUpdate: (_o, sa) => queueAccount(sa), onDelete: queueAccount });
    const queueSecret = (s: Secret) => {
      const m = s.metadata;
      const saName = m.annotations?.[SERVICE_ACCOUNT_NAME_ANNOTATION] ?? "";
      // parseSecretQueueKey refuses a key without namespace, name, uid or account name: such a Secret is ignored.
      if (!m.uid || saName === "") return;
      const saUID = m.annotations?.[SERVICE_ACCOUNT_UID_ANNOTATION] ?? "";
      const key: SecretKey = { namespace: m.namespace!, name: `${m.name}/${m.uid}/${saName}/${saUID}`, secret: m.name, uid: m.uid, saName, saUID };
      this.secretQueue.add(key);
    };
    cp.informers.secrets.addHandlers({
      onAdd: (s) => {
        if (s.type !== SERVICE_ACCOUNT_TOKEN_TYPE) return;
        this.index(s, 1);
        queueSecret(s);
      },
      onUpdate: (o, s) => {
        if (o.type === SERVICE_ACCOUNT_TOKEN_TYPE) this.index(o, -1);
        if (s.type !== SERVICE_ACCOUNT_TOKEN_TYPE) return;
        this.index(s, 1);
        queueSecret(s);
      },
      onDelete: (s) => {
        if (s.type !== SERVICE_ACCOUNT_TOKEN_TYPE) return;
        this.index(s, -1);
        queueSecret(s);
      },
    });
  }

  private index(s: Secret, sign: 1 | -1): void {
    const saName = s.metadata.annotations?.[SERVICE_ACCOUNT_NAME_ANNOTATION];
    if (!saName) return;
    const id = `${s.metadata.namespace}/${saName}`;
    let m = this.byAccount.get(id);
    if (sign > 0) {
      if (!m) this.byAccount.set(id, (m = new Map()));
      m.set(s.metadata.name, s);
    } else if (m && m.get(s.metadata.name) === s) {
      m.delete(s.metadata.name);
      if (m.size === 0) this.byAccount.delete(id);
    }
  }

  /** getServiceAccount: the cached account if its uid matches (when given), else (fetchOnCacheMiss) a live GET. */
  private account(ns: string, name: string, uid: string, fetchOnCacheMiss: boolean): ServiceAccount | undefined {
    const matches = (sa: ServiceAccount | undefined) => (sa !== undefined && (uid === "" || sa.metadata.uid === uid) ? sa : undefined);
    const cached = matches(this.cp.informers.serviceAccounts.get(ns, name));
    if (cached || !fetchOnCacheMiss) return cached;
    return matches(this.cp.api.get<ServiceAccount>("ServiceAccount", ns, name));
  }

  /** syncServiceAccount: an account that no longer exists (with that uid) loses its token Secrets. */
  private syncServiceAccount(key: AccountKey): void {
    if (this.account(key.namespace, key.account, key.uid, false) !== undefined) return;
    const tokens = [...(this.byAccount.get(`${key.namespace}/${key.account}`)?.values() ?? [])].filter((s) => isServiceAccountToken(s, { name: key.account, uid: key.uid }));
    for (const t of tokens) this.deleteToken(t.metadata.namespace!, t.metadata.name, t.metadata.uid!, () => this.accountQueue.addRateLimited(key));
  }

  /** syncSecret: remove a deleted token from its account, delete a token whose account is gone, or populate it. */
  private syncSecret(key: SecretKey): void {
    const cached = this.cp.informers.secrets.get(key.namespace, key.secret);
    const secret = cached !== undefined && cached.metadata.uid === key.uid ? cached : undefined;
    const retry = () => this.secretQueue.addRateLimited(key);
    if (secret === undefined) {
      if (this.account(key.namespace, key.saName, key.saUID, false) !== undefined) this.removeSecretReference(key, retry);
      return;
    }
    const sa = this.account(key.namespace, key.saName, key.saUID, true);
    if (sa === undefined) {
      this.deleteToken(key.namespace, key.secret, key.uid, retry);
      return;
    }
    const need = secretUpdateNeeded(secret, this.rootCA);
    if (!need.ca && !need.namespace && !need.token) return;
    this.client.request(
      () => {
        const live = this.cp.api.get<Secret>("Secret", key.namespace, key.secret);
        // Our view is stale: the update event that follows will bring the key back.
        if (live === undefined || live.metadata.resourceVersion !== secret.metadata.resourceVersion) return undefined;
        const next = populatedToken(live, sa, this.rootCA, () => standInToken(this.tokens, key.namespace, sa.metadata.name));
        return next === undefined ? undefined : this.cp.api.update(next);
      },
      (r: ApiResult<Secret> | undefined) => {
        // Conflict: someone else wrote it (an update event follows); NotFound: nothing to populate.
        if (r !== undefined && !r.ok && r.reason !== "Conflict" && r.reason !== "NotFound") retry();
      },
    );
  }

  /** deleteToken: a delete with a uid precondition; NotFound and a changed uid need no retry. */
  private deleteToken(ns: string, name: string, uid: string, retry: () => void): void {
    this.client.request(
      () => {
        const cur = this.cp.api.get<Secret>("Secret", ns, name);
        if (cur === undefined || cur.metadata.uid !== uid) return undefined;
        return this.cp.api.delete("Secret", ns, name);
      },
      (r) => {
        if (r !== undefined && !r.ok && r.reason !== "NotFound" && r.reason !== "Conflict") retry();
      },
    );
  }

  /** removeSecretReference: the account (live, same uid) no longer lists the deleted Secret. */
  private removeSecretReference(key: SecretKey, retry: () => void): void {
    this.client.request(
      () => {
        const sa = this.cp.api.get<ServiceAccount>("ServiceAccount", key.namespace, key.saName);
        if (sa === undefined || (key.saUID !== "" && sa.metadata.uid !== key.saUID)) return undefined;
        const refs = Array.isArray(sa.secrets) ? sa.secrets : [];
        if (!refs.some((r) => r?.name === key.secret)) return undefined;
        return this.cp.api.update<ServiceAccount>({ ...sa, secrets: refs.filter((r) => r?.name !== key.secret) });
      },
      (r) => {
        if (r !== undefined && !r.ok && r.reason !== "NotFound") retry();
      },
    );
  }
}
