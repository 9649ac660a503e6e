import { readFileSync, writeFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseDuration } from "../src/engine/duration.js";
import { REFERENCE_END, REFERENCE_START, scenarioReference, updateReadme } from "../src/scenario/reference.js";
import { scenarioSchema } from "../src/scenario/schema.js";
import { DEFAULT_SETTINGS, DURATION_SETTINGS, type Settings } from "../src/settings.js";

const README = new URL("../README.md", import.meta.url);

describe("README scenario reference", () => {
  it("is exactly the text rendered from the schema (K8SIM_UPDATE_README=1 rewrites it)", () => {
    let readme = readFileSync(README, "utf8");
    if (process.env.K8SIM_UPDATE_README === "1") {
      readme = updateReadme(readme);
      writeFileSync(README, readme);
    }
    const start = readme.indexOf(REFERENCE_START);
    const end = readme.indexOf(REFERENCE_END);
    expect(start, `README.md lacks ${REFERENCE_START}`).toBeGreaterThanOrEqual(0);
    expect(end, `README.md lacks ${REFERENCE_END}`).toBeGreaterThan(start);
    expect(readme.slice(start + REFERENCE_START.length, end)).toBe(`\n${scenarioReference()}`);
  });

  it("describes every key", () => {
    const rows = scenarioReference().trim().split("\n").slice(2);
    for (const row of rows) {
      const description = row.split(/(?<!\\)\|/)[5]?.trim();
      expect(description, row).toBeTruthy();
    }
  });

  it("replaces only the text between the markers", () => {
    expect(updateReadme(`# Title\n${REFERENCE_START}\nold\n${REFERENCE_END}\nrest\n`)).toBe(
      `# Title\n${REFERENCE_START}\n${scenarioReference()}${REFERENCE_END}\nrest\n`,
    );
  });
});

describe("schema settings", () => {
  const settings = scenarioSchema().properties!.spec!.properties!.settings!.properties!;

  it("has exactly the keys of DEFAULT_SETTINGS, in the same order", () => {
    expect(Object.keys(settings)).toEqual(Object.keys(DEFAULT_SETTINGS));
  });

  it("takes durations exactly for DURATION_SETTINGS, with the defaults of DEFAULT_SETTINGS", () => {
    for (const [key, node] of Object.entries(settings)) {
      const k = key as keyof Settings;
      expect(node.$ref === "#/definitions/duration", key).toBe(DURATION_SETTINGS.has(k));
      const def = DURATION_SETTINGS.has(k) ? parseDuration(String(node.default)) : { ok: true, value: node.default };
      expect(def, key).toEqual({ ok: true, value: DEFAULT_SETTINGS[k] });
    }
  });
});
