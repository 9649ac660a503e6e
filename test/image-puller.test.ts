/**
 * The kubelet's image puller (src/kubelet/images/image-puller.ts) without a simulation: requests for a present
 * image are answered at once, one pull serves every request for its image, and a drained queue keeps no request
 * (each holds its pod's container records through its callback: a node that pulled for 1,000 pods must not keep
 * 1,000 pods alive).
 */
import { describe, expect, it } from "vitest";
import { ImagePuller } from "../src/kubelet/images/image-puller.js";

function fake(present: string[]) {
  const have = new Set(present);
  const pulls: string[] = [];
  return { pulls, have, service: { imageStatus: (i: string) => (have.has(i) ? { image: i, sizeBytes: 100 } : undefined), pullImage: (i: string) => pulls.push(i), cancelPull: () => {}, registryReachable: () => true } };
}

describe("ImagePuller", () => {
  it("answers a present image at once and pulls a missing one once for every request", () => {
    const f = fake(["a"]);
    const p = new ImagePuller(f.service as never, () => 0, 1);
    const got: string[] = [];
    p.request("a", (r) => got.push(`a ${r.pullMs}`));
    p.request("b", () => got.push("b1"));
    p.request("b", () => got.push("b2"));
    expect(got).toEqual(["a 0"]);
    expect(f.pulls).toEqual(["b"]);
    f.have.add("b");
    p.pulled("b", undefined);
    expect(got).toEqual(["a 0", "b1", "b2"]);
  });

  it("keeps no request once its queue is drained", () => {
    const f = fake(["a"]);
    const p = new ImagePuller(f.service as never, () => 0, 1);
    for (let i = 0; i < 10; i++) p.request("a", () => {});
    expect((p as unknown as { queue: unknown[] }).queue.length).toBe(0);
  });
});
