/**
 * Admission plugins (k8s.io/apiserver/pkg/admission): each sees a request after defaulting and may change the
 * object (`admit`, a mutating plugin) or refuse it (`validate`). The API server runs the enabled plugins in
 * upstream's fixed order (admission/chain.ts).
 */
import type { Settings } from "../../settings.js";
import type { ApiFailure, ApiResult } from "../api-result.js";
import type { Store } from "../store.js";
import type { KubeObject } from "../types.js";

/** admission.Operation. */
export type AdmissionOperation = "CREATE" | "UPDATE" | "DELETE";

/** What a plugin knows of a request (admission.Attributes). */
export interface AdmissionRequest {
  operation: AdmissionOperation;
  kind: string;
  namespace: string | undefined;
  name: string;
  /** The object written (for DELETE, the stored object). */
  object: KubeObject;
}

/** What plugins may read: the store (as a plugin's informers would) and the settings; and what the API server lends
 *  the plugins that write (ResourceQuota charges status.used before the object is stored, as upstream). */
export interface AdmissionContext {
  store: Store;
  settings: Settings;
  /** The API clock (epoch ms now, and the parse of an RFC 3339 timestamp); absent in chains built without a server. */
  clock?: { readonly ms: number; parse(t: string): number };
  /** The /status subresource write (ApiServer.updateStatus); absent in chains built without a server. */
  updateStatus?(obj: KubeObject & { status?: unknown }): ApiResult<KubeObject>;
}

/** One admission plugin. Either hook may be absent; a hook returns a failure to refuse the request. */
export interface AdmissionPlugin {
  /** The name used in --enable-admission-plugins. */
  readonly name: string;
  /** On unless --disable-admission-plugins names it (outside upstream's DefaultOffAdmissionPlugins). */
  readonly enabledByDefault: boolean;
  /** The operations the plugin handles (admission.Handler's Handles); the chain skips it for others. */
  readonly operations: readonly AdmissionOperation[];
  /** The kinds the plugin acts on; absent for every kind. The chain skips the others without building a request,
   *  so a lease renewal costs no admission work. */
  readonly kinds?: readonly string[];
  /** Mutating phase: the object to continue with (the same one when unchanged), or a refusal. */
  admit?(req: AdmissionRequest, ctx: AdmissionContext): KubeObject | ApiFailure;
  /** Validating phase: a refusal, or undefined. */
  validate?(req: AdmissionRequest, ctx: AdmissionContext): ApiFailure | undefined;
}

/** True for a refusal (an ApiFailure) rather than an object. */
export function isFailure(v: KubeObject | ApiFailure): v is ApiFailure {
  return (v as ApiFailure).ok === false;
}
