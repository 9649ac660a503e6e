/** batch/v1 Job (pkg/registry/batch/job/strategy.go). */
import { defaultJob, prepareJobForCreate, validateJobObject, validateJobUpdate } from "../../batch/job-object.js";
import type { Job } from "../../batch/types.js";
import { defineKind } from "../kind-spec.js";

/** batch/v1 Job: status subresource, generation, owns Pods; SetDefaults_Job, generated selector, ValidateJob(Update). */
export const jobKind = defineKind<Job>({
  group: "batch",
  version: "v1",
  kind: "Job",
  plural: "jobs",
  singular: "job",
  shortNames: [],
  namespaced: true,
  statusSubresource: true,
  tracksGeneration: true,
  dependents: ["Pod"],
  // jobStrategy: OrphanDependents for batch/v1 "for backwards compatibility": a DELETE naming no propagationPolicy
  // leaves the pods running (kubectl always sends one: Background).
  defaultGarbageCollectionPolicy: "OrphanDependents",
  // CronJobs create Jobs with generated names: a timeline or expectation naming one is checked when the run gets there.
  namesKnownAtLoad: false,
  // The pods a Job runs at once (the pods limit is about concurrent pods).
  podsDeclared: (o) => (typeof o.spec?.parallelism === "number" && o.spec.parallelism >= 0 ? o.spec.parallelism : 1),
  default: defaultJob,
  prepareForCreate: prepareJobForCreate,
  validate: validateJobObject,
  validateUpdate: validateJobUpdate,
});
