/** core/v1 ServiceAccount (pkg/registry/core/serviceaccount/strategy.go). */
import type { ServiceAccount } from "../../serviceaccount/types.js";
import { defineKind } from "../kind-spec.js";

/**
 * core/v1 ServiceAccount (short name sa): secrets, imagePullSecrets and automountServiceAccountToken, no status and
 * no generation. The serviceaccounts controller keeps `default` in every namespace; the token controller deletes an
 * account's token Secrets with it.
 */
export const serviceAccountKind = defineKind<ServiceAccount>({
  group: "",
  version: "v1",
  kind: "ServiceAccount",
  plural: "serviceaccounts",
  singular: "serviceaccount",
  shortNames: ["sa"],
  namespaced: true,
});
