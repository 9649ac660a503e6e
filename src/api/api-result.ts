import type { FieldError } from "./validation/field-errors.js";

/** A failed API call, as metav1.Status: HTTP code, reason and message. Failures are values, never exceptions. */
export interface ApiFailure {
  ok: false;
  code: 400 | 403 | 404 | 409 | 422 | 429 | 500 | 503;
  /** ServiceUnavailable: no answer at all (the API server is down: the client's dial error is the message). */
  reason: "BadRequest" | "Forbidden" | "NotFound" | "AlreadyExists" | "Conflict" | "Invalid" | "TooManyRequests" | "InternalError" | "ServiceUnavailable";
  message: string;
  /** For 422 Invalid: the kind, the object's name and the field errors (metav1.Status details and causes). */
  details?: { kind: string; name: string; causes: readonly FieldError[] };
}

/** The result of an API call. */
export type ApiResult<T> = { ok: true; object: T } | ApiFailure;

/** An ApiFailure value. */
export function apiFailure(code: ApiFailure["code"], reason: ApiFailure["reason"], message: string): ApiFailure {
  return { ok: false, code, reason, message };
}
