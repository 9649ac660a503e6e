/** core/v1 Secret (pkg/registry/core/secret/strategy.go; decoding pkg/apis/core/v1/conversion.go). */
import { defaultSecret, mergeStringData, type SecretObject } from "../../defaults/config.js";
import type { Secret } from "../../types.js";
import { validateSecretContent, validateSecretUpdate } from "../../validation/config.js";
import { defineKind } from "../kind-spec.js";
import { base64Failure } from "./config-decode.js";

/**
 * core/v1 Secret: data is base64 on the wire (a value that does not decode is a 400), stringData is merged into
 * data when decoded and never stored; type defaults to Opaque; ValidateSecret(Update), immutable Secrets included.
 * Its values are secret data: nothing k8sim writes prints them.
 */
export const secretKind = defineKind<Secret>({
  group: "",
  version: "v1",
  kind: "Secret",
  plural: "secrets",
  singular: "secret",
  shortNames: [],
  namespaced: true,
  decode: (s) => base64Failure("Secret", "data", s.data) ?? { ok: true, object: mergeStringData(s as unknown as SecretObject) as unknown as Secret },
  default: (s) => defaultSecret(s as unknown as SecretObject) as unknown as Secret,
  validate: (s) => validateSecretContent(s as unknown as SecretObject),
  validateUpdate: (s, old) => validateSecretUpdate(s as unknown as SecretObject, old as unknown as SecretObject),
});
