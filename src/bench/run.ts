/**
 * `npm run bench`: the engine hold model at Q = 1e3, 1e5, 1e6 and the 1,000-node / 30,000-pod hour, each in its
 * own process so that peak RSS belongs to one measurement. Prints one JSON line per measurement.
 * Usage: node dist/bench/run.js [hold|cluster [nodes pods hours]]
 */
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { clusterBench } from "./cluster.js";
import { holdModel } from "./hold.js";

const [what, ...args] = process.argv.slice(2);
if (what === "hold") {
  const q = Number(args[0]);
  console.log(JSON.stringify({ bench: "hold", ...holdModel(q, 3_000_000) }));
} else if (what === "cluster") {
  const [nodes, pods, hours] = [Number(args[0] ?? 1000), Number(args[1] ?? 30000), Number(args[2] ?? 1)];
  console.log(JSON.stringify({ bench: "cluster", ...clusterBench(nodes, pods, hours * 3_600_000) }));
} else {
  const self = fileURLToPath(import.meta.url);
  const run = (a: string[]) => process.stdout.write(execFileSync(process.execPath, [self, ...a], { encoding: "utf8" }));
  console.log(`# k8sim bench on ${process.platform}-${process.arch}, node ${process.version}`);
  for (const q of ["1000", "100000", "1000000"]) run(["hold", q]);
  run(["cluster", "1000", "30000", "1"]);
}
