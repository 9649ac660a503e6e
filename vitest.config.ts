import { defineConfig } from "vitest/config";

// Vitest's default in run mode is one worker fewer than the CPUs: a single worker on CI's two cores, which runs
// the files one after another (the suite took 9m54s). The simulation tests are CPU-bound and independent (each
// writes its own temporary folders), so two workers use both cores (6m16s). With both cores busy, a test that
// spawns the CLI as a child process shares them with the other worker: its limit is 30s instead of 5s, so load
// alone never fails it (a hang still does).
export default defineConfig({
  test: {
    maxWorkers: 2,
    minWorkers: 1,
    testTimeout: 30_000,
  },
});
