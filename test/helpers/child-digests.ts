import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

/**
 * Digests of `files` computed in a separate Node process (test/helpers/digests.ts under vite-node), by file path.
 * Throws if the child fails or does not answer within `timeoutMs`.
 */
export function childDigests(files: readonly string[], timeoutMs = 60_000): Map<string, string> {
  const out = execFileSync(`${ROOT}/node_modules/.bin/vite-node`, ["test/helpers/digests.ts", ...files], { cwd: ROOT, encoding: "utf8", timeout: timeoutMs, maxBuffer: 64 << 20 });
  const m = new Map<string, string>();
  for (const line of out.split("\n")) {
    if (!line) continue;
    const i = line.indexOf(" ");
    const digest = line.slice(0, i);
    const rest = line.slice(i + 1);
    if (digest === "error") {
      const j = rest.indexOf(" ");
      m.set(rest.slice(0, j), `error ${rest.slice(j + 1)}`);
    } else m.set(rest, digest);
  }
  return m;
}
