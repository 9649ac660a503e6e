/** core/v1 Service (pkg/registry/core/service/strategy.go; storage pkg/registry/core/service/storage/storage.go). */
import { normalizeClusterIPs, ServiceAllocations } from "../../service/allocations.js";
import { defaultService } from "../../service/defaults.js";
import type { Service } from "../../service/types.js";
import { validateService, validateServiceUpdate } from "../../service/validation.js";
import { defineKind } from "../kind-spec.js";

/**
 * core/v1 Service, short name svc, with a /status subresource (the load balancer's ingress): SetDefaults_Service,
 * ValidateService(Update); names are DNS-1035 labels (ValidateServiceName). Its cluster IPs and node ports are
 * allocated by the API server (service/allocations.ts) as the Service REST storage does.
 */
export const serviceKind = defineKind<Service>({
  group: "",
  version: "v1",
  kind: "Service",
  plural: "services",
  singular: "service",
  shortNames: ["svc"],
  namespaced: true,
  statusSubresource: true,
  nameRule: "label",
  default: (s) => defaultService(s),
  // PrepareForCreate: no status from the client; normalizeClusterIPs too, which upstream runs in beginCreate just
  // before (here also for the scenario loader, which validates without allocating).
  prepareForCreate: (s) => ({ ...s, spec: normalizeClusterIPs(s.spec ?? {}), status: { loadBalancer: {} } }),
  allocator: (settings, stream) => new ServiceAllocations(settings, stream),
  validate: (s) => validateService(s),
  validateUpdate: (s, old) => validateServiceUpdate(s, old),
});
