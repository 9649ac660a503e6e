#!/usr/bin/env node
/** The `k8sim` executable: process streams and exit code around `runCli`. */
import { runCli } from "./program.js";

let peak = 0;
const code = await runCli(process.argv.slice(2), {
  out: (s) => process.stdout.write(s),
  err: (s) => process.stderr.write(s),
  wallClock: () => Number(process.hrtime.bigint()) / 1e9,
  peakRss: () => {
    peak = Math.max(peak, process.resourceUsage().maxRSS * 1024);
    return peak;
  },
});
process.exitCode = code;
