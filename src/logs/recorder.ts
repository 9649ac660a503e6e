/**
 * Writes logs.jsonl's records (./records.ts) as the run goes: a pod record when the API server creates a pod and a
 * gone record when it removes one (from the store's watch), start / ready / end records from the kubelets
 * (ContainerLogSink), a time record at every metrics sample and an eof record at the end. The text accumulates
 * until the driver drains it (`take`), so `k8sim logs -f` can follow a run in progress; the records and their order
 * depend only on the run, never on when they were drained, so the file is the same bytes for the same seed.
 */
import type { Store } from "../api/store.js";
import type { Pod } from "../api/types.js";
import type { LogRecord, LogTemplate, RunRecord } from "./records.js";

/** The default-container annotation kubectl reads (kubectl.kubernetes.io/default-container). */
export const DEFAULT_CONTAINER_ANNOTATION = "kubectl.kubernetes.io/default-container";

/** Collects the log records of one run. */
export class LogRecorder {
  private chunks: string[] = [];
  private nextId = 1;
  private lastTime = -1;

  /** @param now the run's virtual clock. */
  constructor(header: Omit<RunRecord, "k" | "format">, private readonly now: () => number) {
    this.write({ k: "run", format: 1, ...header });
  }

  /** Records pods as the API server creates and removes them. */
  watch(store: Store): void {
    store.watch("Pod", (type, obj) => {
      const pod = obj as Pod;
      const m = pod.metadata;
      if (type === "ADDED") {
        const init = (pod.spec.initContainers ?? []).map((c) => c.name);
        const def = m.annotations?.[DEFAULT_CONTAINER_ANNOTATION];
        this.write({
          k: "pod",
          at: this.now(),
          ns: m.namespace ?? "default",
          name: m.name,
          uid: m.uid!,
          labels: m.labels ?? {},
          containers: pod.spec.containers.map((c) => c.name),
          ...(init.length > 0 ? { initContainers: init } : {}),
          ...(def !== undefined ? { defaultContainer: def } : {}),
        });
      } else if (type === "DELETED") this.write({ k: "gone", at: this.now(), uid: m.uid! });
    });
  }

  /** A container instance started; returns its record id. */
  started(uid: string, container: string, restart: number, log: LogTemplate | undefined): number {
    const id = this.nextId++;
    this.write(log === undefined ? { k: "start", at: this.now(), id, uid, c: container, restart } : { k: "start", at: this.now(), id, uid, c: container, restart, log });
    return id;
  }

  /** A container instance turned ready the first time. */
  ready(id: number): void {
    this.write({ k: "ready", at: this.now(), id });
  }

  /** A container instance ended. */
  ended(id: number, exitCode: number, reason: string): void {
    this.write({ k: "end", at: this.now(), id, exitCode, reason });
  }

  /** A container that has not started yet waits for `reason`. */
  waiting(uid: string, container: string, reason: string): void {
    this.write({ k: "wait", at: this.now(), uid, c: container, reason });
  }

  /** The run reached this virtual time (a metrics sample): lines up to it may be shown by a follower. */
  time(): void {
    const at = this.now();
    if (at === this.lastTime) return;
    this.lastTime = at;
    this.write({ k: "time", at });
  }

  /** The run ended at this virtual time. */
  eof(): void {
    this.write({ k: "eof", at: this.now() });
  }

  /** The text recorded since the last call. */
  take(): string {
    const t = this.chunks.join("");
    this.chunks = [];
    return t;
  }

  private write(r: LogRecord): void {
    this.chunks.push(JSON.stringify(r) + "\n");
  }
}
