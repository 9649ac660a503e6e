/** core/v1 Endpoints (pkg/registry/core/endpoint/strategy.go). */
import { defaultEndpoints } from "../../service/defaults.js";
import { validateEndpoints, validateEndpointsUpdate } from "../../service/endpoints-validation.js";
import type { Endpoints } from "../../service/types.js";
import { defineKind } from "../kind-spec.js";

/** core/v1 Endpoints, short name ep: SetDefaults_Endpoints (port protocol TCP), ValidateEndpoints(Update). */
export const endpointsKind = defineKind<Endpoints>({
  group: "",
  version: "v1",
  kind: "Endpoints",
  plural: "endpoints",
  singular: "endpoints",
  shortNames: ["ep"],
  namespaced: true,
  // Written by the endpoints controllers (or the user): a timeline target or expectation is not checked at load.
  namesKnownAtLoad: false,
  default: (e) => defaultEndpoints(e),
  validate: (e) => validateEndpoints(e),
  validateUpdate: (e, old) => validateEndpointsUpdate(e, old),
});
