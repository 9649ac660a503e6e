/** batch/v1 CronJob (pkg/registry/batch/cronjob/strategy.go). */
import { defaultCronJob, validateCronJob } from "../../batch/cronjob-object.js";
import type { CronJob } from "../../batch/types.js";
import { defineKind } from "../kind-spec.js";

/** batch/v1 CronJob: status subresource, generation, owns Jobs; SetDefaults_CronJob, ValidateCronJob. */
export const cronJobKind = defineKind<CronJob>({
  group: "batch",
  version: "v1",
  kind: "CronJob",
  plural: "cronjobs",
  singular: "cronjob",
  shortNames: ["cj"],
  namespaced: true,
  statusSubresource: true,
  tracksGeneration: true,
  dependents: ["Job"],
  // cronJobStrategy: DeleteDependents for batch/v1 (OrphanDependents was batch/v1beta1's, for backwards compatibility).
  defaultGarbageCollectionPolicy: "DeleteDependents",
  podsDeclared: (o) => (typeof o.spec?.jobTemplate?.spec?.parallelism === "number" && o.spec.jobTemplate.spec.parallelism >= 0 ? o.spec.jobTemplate.spec.parallelism : 1),
  default: defaultCronJob,
  prepareForCreate: (o) => ({ ...o, status: {} }),
  validate: validateCronJob,
  validateUpdate: (o) => validateCronJob(o),
});
