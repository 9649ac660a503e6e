/**
 * The Events the API holds, rebuilt from every recorded occurrence as client-go's EventCorrelator and the API
 * server's 1h event TTL leave them, and `kubectl get events`' columns. The upstream numbers: spam filter burst 25
 * and one token per 300 s per source and object; aggregation at the 10th distinct message of the same source,
 * object, type and reason within 10 minutes of each other; the TTL 1 h after the last write.
 */
import { describe, expect, it } from "vitest";
import type { EventRecord } from "../src/api/events.js";
import { correlateEvents, eventName, matchFieldSelector, printEvents } from "../src/inspect/print/index.js";

const START = Date.parse("2026-01-01T00:00:00Z");
const S = 1000;
const MIN = 60 * S;

function rec(simTime: number, reason: string, message: string, extra: Partial<EventRecord> = {}): EventRecord {
  return {
    simTime,
    type: "Normal",
    reason,
    message,
    involvedObject: { kind: "Pod", namespace: "default", name: "web-1", uid: "u1" },
    source: { component: "kubelet", host: "worker-1" },
    ...extra,
  };
}

describe("correlateEvents", () => {
  it("folds repeats of one event into one Event: count, firstTimestamp, lastTimestamp, named after the first", () => {
    const evs = correlateEvents([rec(10 * S, "Pulled", "image present"), rec(70 * S, "Pulled", "image present"), rec(130 * S, "Pulled", "image present")], START);
    expect(evs).toHaveLength(1);
    const e = evs[0]!;
    // UnixNano of 2026-01-01T00:00:10Z = 1767225610 s x 1e9 = 0x1887... in hex.
    expect(e.metadata.name).toBe(`web-1.${(1767225610n * 1_000_000_000n).toString(16)}`);
    expect(e.metadata.name).toBe(eventName("web-1", START + 10 * S));
    expect(e).toMatchObject({ count: 3, firstTimestamp: "2026-01-01T00:00:10Z", lastTimestamp: "2026-01-01T00:02:10Z", reportingComponent: "kubelet", reportingInstance: "worker-1", source: { component: "kubelet", host: "worker-1" } });
  });

  it("puts a cluster-scoped object's events in the default namespace, as the recorder does", () => {
    const evs = correlateEvents([rec(0, "NodeReady", "ready", { involvedObject: { kind: "Node", name: "worker-1", uid: "n1" } })], START);
    expect(evs[0]!.metadata.namespace).toBe("default");
    expect(evs[0]!.involvedObject).toEqual({ kind: "Node", name: "worker-1", uid: "n1", apiVersion: "v1" });
  });

  it("drops what the spam filter refuses: 25 at once, then one per 5 minutes", () => {
    // 40 repeats one second apart: 25 pass (the burst); the bucket gains 1/300 token per second, so none of the
    // next 15 (within 40 s) gets a token. The API shows count 25, last written at the 25th (24 s).
    const burst = Array.from({ length: 40 }, (_, i) => rec(i * S, "BackOff", "Back-off restarting failed container"));
    const [e] = correlateEvents(burst, START);
    expect(e).toMatchObject({ count: 25, lastTimestamp: "2026-01-01T00:00:24Z" });
    // At 39 s + 300 s one token has come back: the 41st occurrence is written with the count of all 41.
    const [later] = correlateEvents([...burst, rec(339 * S, "BackOff", "Back-off restarting failed container")], START);
    expect(later).toMatchObject({ count: 41, lastTimestamp: "2026-01-01T00:05:39Z" });
  });

  it("combines the 10th distinct message of one reason into '(combined from similar events): ...'", () => {
    const recs = Array.from({ length: 12 }, (_, i) => rec(i * S, "FailedScheduling", `0/3 nodes are available: attempt ${i}`));
    const evs = correlateEvents(recs, START);
    // Messages 0..8 stay separate Events; the 10th (i = 9) creates the combined Event, 10 and 11 update it.
    expect(evs).toHaveLength(10);
    const combined = evs.find((e) => e.message.startsWith("(combined"))!;
    expect(combined).toMatchObject({ message: "(combined from similar events): 0/3 nodes are available: attempt 11", count: 3, firstTimestamp: "2026-01-01T00:00:09Z" });
  });

  it("forgets Events an hour after their last write (--event-ttl 1h), and recreates one that repeats later", () => {
    const recs = [rec(0, "Pulled", "image present"), rec(5 * MIN, "Started", "Started container app")];
    expect(correlateEvents(recs, START, 60 * MIN + 1).map((e) => e.reason)).toEqual(["Started"]);
    expect(correlateEvents(recs, START, 65 * MIN)).toEqual([]);
    // A repeat at 2h: the recorder's patch finds nothing and creates it again with the cached name and count.
    const again = correlateEvents([...recs, rec(120 * MIN, "Pulled", "image present")], START);
    expect(again).toHaveLength(1);
    expect(again[0]).toMatchObject({ reason: "Pulled", count: 2, firstTimestamp: "2026-01-01T00:00:00Z", lastTimestamp: "2026-01-01T02:00:00Z" });
    expect(again[0]!.metadata.name).toBe(eventName("web-1", START));
  });

  it("gives two events about one object in the same millisecond different names (1 ns apart)", () => {
    const evs = correlateEvents([rec(0, "Created", "Created container: app"), rec(0, "Started", "Started container app")], START);
    expect(evs.map((e) => e.metadata.name)).toEqual([eventName("web-1", START), eventName("web-1", START, 1n)]);
    expect(evs.map((e) => e.reason)).toEqual(["Created", "Started"]);
  });

  it("shows only what had happened at --at", () => {
    const recs = [rec(0, "Pulled", "image present"), rec(2 * MIN, "Pulled", "image present")];
    expect(correlateEvents(recs, START, MIN)[0]).toMatchObject({ count: 1 });
  });
});

describe("kubectl get events", () => {
  const recs = [
    rec(0, "Scheduled", "Successfully assigned default/web-1 to worker-1", { source: { component: "default-scheduler" } }),
    rec(5 * S, "Pulled", "image present"),
    rec(65 * S, "Pulled", "image present"),
    rec(10 * MIN, "NodeNotReady", "Node worker-1 status is now: NodeNotReady", { type: "Normal", involvedObject: { kind: "Node", name: "worker-1", uid: "n1" }, source: { component: "node-controller" } }),
  ];
  const now = START + 12 * MIN;
  it("prints LAST SEEN, TYPE, REASON, OBJECT, MESSAGE in the API's order (by name)", () => {
    const evs = correlateEvents(recs, START);
    expect(printEvents(evs, { nowMs: now, output: "", allNamespaces: false, namespace: "default" }).out).toBe(
      "LAST SEEN   TYPE     REASON         OBJECT          MESSAGE\n" +
        "12m         Normal   Scheduled      pod/web-1       Successfully assigned default/web-1 to worker-1\n" +
        "10m         Normal   Pulled         pod/web-1       image present\n" +
        "2m          Normal   NodeNotReady   node/worker-1   Node worker-1 status is now: NodeNotReady\n",
    );
  });

  it("-o wide adds SUBOBJECT and SOURCE before MESSAGE, FIRST SEEN, COUNT and NAME after it", () => {
    const evs = correlateEvents(recs, START).filter((e) => e.reason === "Pulled");
    const name = eventName("web-1", START + 5 * S);
    expect(printEvents(evs, { nowMs: now, output: "wide", allNamespaces: true }).out).toBe(
      "NAMESPACE   LAST SEEN   TYPE     REASON   OBJECT      SUBOBJECT   SOURCE              MESSAGE         FIRST SEEN   COUNT   NAME\n" +
        `default     10m         Normal   Pulled   pod/web-1               kubelet, worker-1   image present   11m          2       ${name}\n`,
    );
  });

  it("selects by involvedObject, reason, type and source; refuses other fields", () => {
    const evs = correlateEvents(recs, START);
    const pick = (sel: string) => {
      const m = matchFieldSelector("Event", sel);
      if (!m.ok) throw new Error(m.error);
      return evs.filter(m.matches).map((e) => e.reason);
    };
    expect(pick("involvedObject.kind=Node")).toEqual(["NodeNotReady"]);
    expect(pick("involvedObject.name=web-1,reason!=Scheduled")).toEqual(["Pulled"]);
    expect(pick("source=default-scheduler")).toEqual(["Scheduled"]);
    expect(pick("reportingComponent=kubelet,type=Normal")).toEqual(["Pulled"]);
    expect(matchFieldSelector("Event", "message=x")).toEqual({ ok: false, error: "field label not supported: message" });
  });

  it("says No resources found in <ns> namespace. on stderr when there are none", () => {
    expect(printEvents([], { nowMs: now, output: "", allNamespaces: false, namespace: "shop" })).toEqual({ out: "", err: "No resources found in shop namespace.\n" });
  });
});
