/**
 * The settings that are strings and lists (clusterCIDR, admission plugins, controllers): the schema accepts
 * exactly the names the code knows, and each is read and applied.
 */
import { describe, expect, it } from "vitest";
import { ADMISSION_PLUGINS, DEFAULT_ADMISSION_PLUGINS, enabledPlugins } from "../src/api/admission/chain.js";
import { CONTROLLERS } from "../src/controllers/manager.js";
import { loadScenario } from "../src/scenario/load.js";
import { scenarioSchema } from "../src/scenario/schema.js";
import { DEFAULT_SETTINGS } from "../src/settings.js";
import { fileURLToPath } from "node:url";

const NODE_FAILURE = fileURLToPath(new URL("../scenarios/node-failure.yaml", import.meta.url));

const settings = scenarioSchema().properties!.spec!.properties!.settings!.properties!;
const enumOf = (key: string) => (settings[key]!.items as { enum: string[] }).enum;

describe("string and list settings", () => {
  it("the schema's admission plugin names are exactly the modelled plugins", () => {
    const names = ADMISSION_PLUGINS.map((p) => p.name);
    expect([...enumOf("enableAdmissionPlugins")].sort()).toEqual([...names].sort());
    expect([...enumOf("disableAdmissionPlugins")].sort()).toEqual([...names].sort());
    // Upstream's fixed order (AllOrderedPlugins): NamespaceLifecycle, LimitRanger, ServiceAccount, ... Priority,
    // DefaultTolerationSeconds, ... ResourceQuota.
    expect(enabledPlugins(DEFAULT_SETTINGS).map((p) => p.name)).toEqual(["NamespaceLifecycle", "LimitRanger", "ServiceAccount", "Priority", "DefaultTolerationSeconds", "ResourceQuota"]);
    expect(DEFAULT_ADMISSION_PLUGINS).toEqual(names);
  });

  it("the schema's controller names are exactly the controller manager's names and aliases, each also with '-'", () => {
    const names = CONTROLLERS.flatMap((c) => [c.name, c.alias]).filter((n, i, a) => a.indexOf(n) === i);
    expect([...enumOf("controllers")].sort()).toEqual(["*", ...names, ...names.map((n) => `-${n}`)].sort());
  });

  it("reads clusterCIDR, controllers and the plugin lists from a scenario", () => {
    const r = loadScenario(NODE_FAILURE, {
      overrides: ["spec.settings.clusterCIDR=10.0.0.0/16", 'spec.settings.controllers=["*", "-podgc"]', "spec.settings.disableAdmissionPlugins=[Priority]"],
    });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.scenario.settings.clusterCIDR).toBe("10.0.0.0/16");
    expect(r.scenario.settings.controllers).toEqual(["*", "-podgc"]);
    expect(r.scenario.settings.disableAdmissionPlugins).toEqual(["Priority"]);
  });

  it("refuses a CIDR that is not one, naming the field", () => {
    const r = loadScenario(NODE_FAILURE, { overrides: ["spec.settings.clusterCIDR=10.128.0.0/33"] });
    expect(!r.ok && r.errors.join("\n")).toMatch(/spec\.settings\.clusterCIDR: invalid CIDR "10\.128\.0\.0\/33": expected an IPv4 range such as 10\.128\.0\.0\/9/);
  });
});
