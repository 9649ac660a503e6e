import { runCli } from "../../src/cli/program.js";

/** Runs the CLI in-process and captures its output. */
export async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const code = await runCli(argv, {
    out: (s) => (out += s),
    err: (s) => (err += s),
    wallClock: () => 0,
    peakRss: () => 0,
  });
  return { code, out, err };
}
