import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { K8SIM_VERSION } from "../src/version.js";

describe("version", () => {
  it("summary.json's k8simVersion is package.json's version", () => {
    const pkg = JSON.parse(readFileSync("package.json", "utf8")) as { version: string };
    expect(K8SIM_VERSION).toBe(pkg.version);
  });

  it("`npx k8sim`, as the README runs it, starts the built CLI (npm ci builds it and marks it executable)", () => {
    const out = execFileSync("npx", ["--no-install", "k8sim", "--version"], { encoding: "utf8" });
    expect(out.trim()).toBe(K8SIM_VERSION);
  }, 30_000);

  it("the README opens with the two commands a newcomer runs, and CI runs the README's test command", () => {
    const readme = readFileSync("README.md", "utf8");
    const block = /```sh\n([\s\S]*?)```/.exec(readme)![1];
    const commands = block.split("\n").filter((l) => l.trim() !== "").map((l) => l.replace(/\s+#.*$/, "").trim());
    expect(commands).toEqual(["npm ci && npx k8sim run scenarios/node-failure.yaml", "npm test"]);
    expect(readFileSync(".ci/run", "utf8")).toMatch(/^npm test$/m);
  });
});
