#!/usr/bin/env node
/** The `k8sim` executable: process streams, signals and exit code around `runCli`. */
import { crashHook } from "./crash.js";
import { runCli } from "./program.js";
import { quietWriter } from "./streams.js";

const out = quietWriter(process.stdout);
const err = quietWriter(process.stderr);
let reportStep: ReturnType<typeof crashHook>;
try {
  reportStep = crashHook(process.env.K8SIM_CRASH_AT);
} catch (e) {
  err(`k8sim: ${(e as Error).message}\n`);
  process.exit(2);
}
let peak = 0;
const code = await runCli(process.argv.slice(2), {
  out,
  err,
  wallClock: () => Number(process.hrtime.bigint()) / 1e9,
  peakRss: () => {
    peak = Math.max(peak, process.resourceUsage().maxRSS * 1024);
    return peak;
  },
  onSignals: (handler) => {
    // While subscribed, SIGINT and SIGTERM no longer kill the process: the run stops at the next slice and writes
    // an interrupted report; a second signal is ignored, so it cannot cut the write short.
    const listener = (signal: NodeJS.Signals) => handler(signal as "SIGINT" | "SIGTERM");
    process.on("SIGINT", listener);
    process.on("SIGTERM", listener);
    return () => {
      process.off("SIGINT", listener);
      process.off("SIGTERM", listener);
    };
  },
  reportStep,
});
process.exitCode = code;
