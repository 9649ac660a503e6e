/** core/v1 ConfigMap (pkg/registry/core/configmap/strategy.go). */
import type { ConfigMapObject } from "../../defaults/config.js";
import type { ConfigMap } from "../../types.js";
import { validateConfigMapContent, validateConfigMapUpdate } from "../../validation/config.js";
import { defineKind } from "../kind-spec.js";
import { base64Failure } from "./config-decode.js";

/** core/v1 ConfigMap: binaryData is base64 on the wire (a value that does not decode is a 400); ValidateConfigMap(Update), immutable ConfigMaps included. */
export const configMapKind = defineKind<ConfigMap>({
  group: "",
  version: "v1",
  kind: "ConfigMap",
  plural: "configmaps",
  singular: "configmap",
  shortNames: ["cm"],
  namespaced: true,
  decode: (cm) => base64Failure("ConfigMap", "binaryData", cm.binaryData) ?? { ok: true, object: cm },
  validate: (cm) => validateConfigMapContent(cm as unknown as ConfigMapObject),
  validateUpdate: (cm, old) => validateConfigMapUpdate(cm as unknown as ConfigMapObject, old as unknown as ConfigMapObject),
});
