/** discovery.k8s.io/v1 EndpointSlice (pkg/registry/discovery/endpointslice/strategy.go). */
import { defaultEndpointSlice } from "../../service/defaults.js";
import { validateEndpointSlice, validateEndpointSliceUpdate } from "../../service/endpoints-validation.js";
import type { EndpointSlice } from "../../service/types.js";
import { defineKind } from "../kind-spec.js";

/**
 * discovery.k8s.io/v1 EndpointSlice: SetDefaults_EndpointPort (name "", protocol TCP), ValidateEndpointSlice(Update)
 * (addressType immutable). Names are DNS-1123 subdomains; the EndpointSlice controller generates them.
 */
export const endpointSliceKind = defineKind<EndpointSlice>({
  group: "discovery.k8s.io",
  version: "v1",
  kind: "EndpointSlice",
  plural: "endpointslices",
  singular: "endpointslice",
  shortNames: [],
  namespaced: true,
  namesKnownAtLoad: false,
  default: (e) => defaultEndpointSlice(e),
  validate: (e) => validateEndpointSlice(e),
  validateUpdate: (e, old) => validateEndpointSliceUpdate(e, old),
});
