/**
 * The isolated runner's child process: reads one JSON request per stdin line, `{"argv": [...]}`, runs the CLI
 * in-process on it (src/cli/program.ts, as test/helpers/cli.ts does) and answers one JSON line
 * `{"code", "out", "err", "ms"}`. A hang, an out-of-memory abort or a crash takes down only this process; the pool
 * (runner-pool.ts) notices and starts a new one. Run with vite-node, so it runs the current sources.
 */
import { createInterface } from "node:readline";
import { runCli } from "../../src/cli/program.js";

const lines = createInterface({ input: process.stdin });
// One request at a time, in order: the pool never sends the next before the answer.
for await (const line of lines) {
  const { argv } = JSON.parse(line) as { argv: string[] };
  let out = "";
  let err = "";
  const t0 = performance.now();
  const code = await runCli(argv, { out: (s) => (out += s), err: (s) => (err += s), wallClock: () => 0, peakRss: () => 0 });
  process.stdout.write(JSON.stringify({ code, out, err, ms: Math.round(performance.now() - t0) }) + "\n");
}
