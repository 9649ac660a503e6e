/**
 * The records of logs.jsonl (reports/README.md, "logs.jsonl"): not log lines but, per container instance, what its
 * log is a deterministic function of: its start, first-ready and end times and its log template. `k8sim logs`
 * expands the lines when it reads (src/logs/lines.ts), so a run costs no engine event and no output per line.
 * One JSON object per line; `at` is integer virtual ms since the run's start; records come in `at` order.
 */

/** What a container writes to its log (a behaviour profile's `logs`). */
export interface LogTemplate {
  /** A periodic line every `every` ms while the container runs (with `line`). */
  readonly every?: number;
  /** The periodic line's text; `{n}` is its number from 1. */
  readonly line?: string;
  /** A line when the container starts. */
  readonly start?: string;
  /** A line when the container first turns ready. */
  readonly ready?: string;
  /** A line when the container exits; `{exitCode}` and `{reason}` are its exit's. */
  readonly exit?: string;
}

/** The first line: identifies the run. */
export interface RunRecord {
  readonly k: "run";
  readonly format: 1;
  /** RFC 3339 wall time of virtual time 0. */
  readonly startTime: string;
  readonly scenario: string;
  readonly seed: number;
}

/** A pod was created in the API. A later pod of the same namespace and name (another uid) replaces it. */
export interface PodRecord {
  readonly k: "pod";
  readonly at: number;
  readonly ns: string;
  readonly name: string;
  readonly uid: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly containers: readonly string[];
  /** Omitted when the pod has none. */
  readonly initContainers?: readonly string[];
  /** The kubectl.kubernetes.io/default-container annotation, if set. */
  readonly defaultContainer?: string;
}

/** A pod was removed from the API. */
export interface GoneRecord {
  readonly k: "gone";
  readonly at: number;
  readonly uid: string;
}

/** A container instance started (the runtime reports it Running). */
export interface StartRecord {
  readonly k: "start";
  readonly at: number;
  /** Unique in the run, increasing. */
  readonly id: number;
  /** The pod's uid. */
  readonly uid: string;
  /** Container name. */
  readonly c: string;
  /** The container's restartCount for this instance (0: the first). */
  readonly restart: number;
  /** Omitted when the container writes nothing. */
  readonly log?: LogTemplate;
}

/** A container instance turned ready for the first time (written only when its template has `ready`). */
export interface ReadyRecord {
  readonly k: "ready";
  readonly at: number;
  readonly id: number;
}

/** A container instance ended. */
export interface EndRecord {
  readonly k: "end";
  readonly at: number;
  readonly id: number;
  readonly exitCode: number;
  /** Completed, Error, OOMKilled, ContainerStatusUnknown (lost with its node). */
  readonly reason: string;
}

/**
 * A container that has not started yet waits for a reason other than being created (ErrImagePull,
 * ImagePullBackOff, ErrImageNeverPull): `k8sim logs` says so as the kubelet does. Written when the reason changes.
 */
export interface WaitRecord {
  readonly k: "wait";
  readonly at: number;
  readonly uid: string;
  readonly c: string;
  readonly reason: string;
}

/** The run reached virtual time `at`: lines up to it may be shown. */
export interface TimeRecord {
  readonly k: "time";
  readonly at: number;
}

/** The last line of a run that ended (at its duration or interrupted). */
export interface EofRecord {
  readonly k: "eof";
  readonly at: number;
}

/** Any record of logs.jsonl. */
export type LogRecord = RunRecord | PodRecord | GoneRecord | StartRecord | ReadyRecord | EndRecord | WaitRecord | TimeRecord | EofRecord;
