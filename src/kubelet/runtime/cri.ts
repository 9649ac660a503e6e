/**
 * The container runtime the kubelet drives, shaped after the Container Runtime Interface (k8s.io/cri-api
 * pkg/apis/services.go: RuntimeService's PodSandboxManager and ContainerManager, and ImageManagerService), made
 * event-driven for a discrete-event engine.
 *
 * Upstream every CRI call is a blocking gRPC request, and the kubelet learns of container state changes from the
 * pod lifecycle event generator (pkg/kubelet/pleg: ContainerStarted, ContainerDied). Here no call blocks: each
 * returns at once, having only recorded the request, and the outcome arrives later as a `RuntimeEvent`. The runtime
 * has no engine component of its own: it schedules its events through the `RuntimeHost` its kubelet gives it (the
 * kubelet's own engine context), so they are delivered to the kubelet's handler, which first hands each one back to
 * the runtime (`observe`, so the runtime's container table is current) and then feeds it to the pod lifecycle
 * (src/kubelet/pod-lifecycle.ts). A runtime therefore adds no engine events beyond its completions, and a run's
 * event order does not depend on which runtime object produced them.
 *
 * NOTE: the CRI names a container by the opaque container_id CreateContainer returns. Here a container is named by
 * its sandbox and its name (ContainerMetadata.name), unique in a pod while containers are not restarted (attempt
 * 0), so that the kubelet keeps no id table. Sandboxes are named by their pod (PodSandboxMetadata uid, namespace
 * and name) for the same reason.
 */
import type { EventId } from "../../engine/simulation.js";
import type { ContainerProgram } from "../../workload/program.js";

/** Which pod a sandbox belongs to (CRI PodSandboxMetadata: uid, namespace and name). */
export interface PodSandboxRef {
  /** "namespace/name" of the pod. */
  readonly key: string;
  /** metadata.uid of the pod: two pods of the same name have different sandboxes. */
  readonly uid: string;
}

/** What a container is created from (CRI ContainerConfig: metadata.name, image.image), with the program its image
 *  runs (src/workload/program.ts): k8sim's stand-in for the process a real image holds. */
export interface ContainerConfig {
  readonly name: string;
  readonly image: string;
  readonly program: ContainerProgram;
}

/** CRI ContainerState: CONTAINER_CREATED, CONTAINER_RUNNING, CONTAINER_EXITED (CONTAINER_UNKNOWN is not modelled). */
export type ContainerState = "Created" | "Running" | "Exited";

/** Why a container exited, as the runtime reports it (ContainerStatus.reason). */
export type ExitReason = "Completed" | "Error" | "OOMKilled";

/** What the runtime reports about one container (CRI ContainerStatus, the fields modelled). */
export interface RuntimeContainerStatus {
  /** The container's sandbox. */
  readonly sandbox: PodSandboxRef;
  /** ContainerMetadata.name. */
  readonly name: string;
  /** ImageSpec.image the container was created from. */
  readonly image: string;
  readonly state: ContainerState;
  /** created_at, virtual ms. */
  readonly createdAt: number;
  /** started_at, virtual ms; set once Running. */
  readonly startedAt: number | undefined;
  /** finished_at, virtual ms; set once Exited. */
  readonly finishedAt: number | undefined;
  /** exit_code; set once Exited. */
  readonly exitCode: number | undefined;
  /** reason; set once Exited. */
  readonly reason: ExitReason | undefined;
}

/** What the runtime reports about an image (CRI ImageStatusResponse.image, the fields modelled). */
export interface RuntimeImage {
  /** Image.repo_tags[0]: the reference the image was pulled by. */
  readonly image: string;
  /** Image.size, bytes. */
  readonly sizeBytes: number;
}

/**
 * The completions a runtime reports, each delivered to its kubelet through the `RuntimeHost` (the PLEG's
 * PodLifecycleEvent: ContainerStarted, ContainerDied; and PullImage's return).
 */
export type RuntimeEvent =
  /** A container whose StartContainer was called is now Running (PLEG ContainerStarted). */
  | { readonly t: "containerStarted"; readonly sandbox: PodSandboxRef; readonly name: string }
  /** A container exited: on its own, killed by the kernel, or stopped (PLEG ContainerDied). */
  | { readonly t: "containerExited"; readonly sandbox: PodSandboxRef; readonly name: string }
  /** A PullImage finished: the image is present on the node, or the pull failed with `error`. */
  | { readonly t: "imagePulled"; readonly image: string; readonly error: string | undefined };

/**
 * How a runtime schedules its completions: the kubelet's engine context (src/engine/simulation.ts Context), so that
 * completions are the kubelet's events.
 */
export interface RuntimeHost {
  /** Current virtual time (ms). */
  readonly now: number;
  /** Delivers `event` to the kubelet at virtual time `time` (ms, >= now). */
  scheduleAt(time: number, event: RuntimeEvent): EventId;
  /** Drops a completion still pending. */
  cancel(id: EventId): void;
}

/**
 * CRI RuntimeService (PodSandboxManager and ContainerManager), event-driven. Every call returns at once; calls that
 * take time upstream report their completion later as a `RuntimeEvent`.
 */
export interface RuntimeService {
  /** RunPodSandbox: creates the pod's sandbox, in which its containers are then created. Idempotent. */
  runPodSandbox(sandbox: PodSandboxRef): void;
  /**
   * RemovePodSandbox: forcibly removes the sandbox and every container in it, at once. A completion still pending
   * for the sandbox is dropped and will not be delivered. Removing an unknown sandbox is a no-op (as upstream).
   */
  removePodSandbox(sandbox: PodSandboxRef): void;
  /** CreateContainer: creates a container (state Created) in the sandbox. */
  createContainer(sandbox: PodSandboxRef, config: ContainerConfig): void;
  /** StartContainer: starts a Created container; `containerStarted` reports it Running after its program's start
   *  latency; it then exits on its own (`containerExited`) when its program ends or the kernel kills it. */
  startContainer(sandbox: PodSandboxRef, name: string): void;
  /**
   * StopContainer(container_id, timeout): stops the container within `timeoutMs` (the grace period, after which
   * upstream's runtime kills it, exit code 137); `containerExited` reports it Exited. A container not running yet exits at
   * once. Idempotent: a repeated call with a shorter timeout may bring the end forward, never push it back.
   */
  stopContainer(sandbox: PodSandboxRef, name: string, timeoutMs: number): void;
  /** RemoveContainer: removes a container at once (a running one is killed first, as upstream). */
  removeContainer(sandbox: PodSandboxRef, name: string): void;
  /** ContainerStatus: the container as the runtime last recorded it, or undefined if it has none of that name. */
  containerStatus(sandbox: PodSandboxRef, name: string): RuntimeContainerStatus | undefined;
  /** ListContainers: the containers of one sandbox (or of every sandbox), in creation order. */
  listContainers(sandbox?: PodSandboxRef): RuntimeContainerStatus[];
}

/** CRI ImageManagerService, event-driven. */
export interface ImageService {
  /** ImageStatus: the image if it is present on the node, else undefined. */
  imageStatus(image: string): RuntimeImage | undefined;
  /** PullImage: fetches the image; `imagePulled` reports it present (or the pull's error). */
  pullImage(image: string): void;
  /** Cancels a PullImage in flight (the kubelet cancelled the call's context): no `imagePulled` comes for it. */
  cancelPull(image: string): void;
  /**
   * Whether a PullImage of this reference now would reach its registry: a pull of a present image is answered from
   * the store only when the registry resolves the tag (containerd resolves it first). NOTE: not a CRI call; the
   * answer the resolver's HEAD request would give, asked before the call so a present image costs no event.
   */
  registryReachable(image: string): boolean;
}

/** A node's container runtime as the kubelet uses it: both CRI services, and the hook for its completions. */
export interface ContainerRuntime extends RuntimeService, ImageService {
  /**
   * Called by the kubelet with each runtime event it is delivered, before it acts on it, so that the runtime's
   * table reflects the completion (containers Running or Exited, images present).
   */
  observe(event: RuntimeEvent): void;
  /**
   * Drops the pulls in flight (their completions are not delivered): the machine failed, so its downloads were
   * lost; the image store (the disk) stays. NOTE: not a CRI call; the runtime's own loss with the machine.
   */
  abortPulls(): void;
  /**
   * A running container's process ends now with `exitCode` (a crash, or a SIGKILL from outside the kubelet: 137);
   * `containerExited` reports it as any exit. Returns false when the container is not Running. NOTE: not a CRI
   * call; the fault injector's hand on the node (src/faults/injector.ts).
   */
  exitNow(sandbox: PodSandboxRef, name: string, exitCode: number): boolean;
}

/** Builds the runtime of one kubelet, given the host its completions are scheduled through. */
export type RuntimeFactory = (host: RuntimeHost) => ContainerRuntime;
