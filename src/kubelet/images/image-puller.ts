/**
 * The kubelet's image puller (pkg/kubelet/images/puller.go): with serializeImagePulls (the default) one pull at a
 * time in request order (serialImagePuller's queue), else up to maxParallelImagePulls at once (0: no limit;
 * parallelImagePuller's tokens). A request is answered with the pull's own duration (the CRI PullImage) and the
 * time it waited in the queue, which the Pulled event reports apart ("in 812ms (1.234s including waiting)").
 *
 * A request whose turn comes when the image is already present (another pod pulled it meanwhile) completes at once
 * with a pull time of 0, as containerd answers a pull of a present image from its store once the registry resolved
 * its tag (inside a registry outage it pulls, and fails, as for an absent image); a request for an image
 * whose pull is in flight joins that pull (containerd pulls one reference once).
 * NOTE: parallel pulls each get the node's whole pull bandwidth; upstream they share the link.
 * NOTE: upstream a pod's own containers pull one after another even with parallel pulls (its pod worker starts
 * them in turn); here they are requested together.
 */
import type { ImageService } from "../runtime/cri.js";

/** The answer to a pull request. */
export interface PullResult {
  /** The CRI pull's own duration (ms). */
  readonly pullMs: number;
  /** From the request to the answer, queue included (ms). */
  readonly totalMs: number;
  /** Image size (bytes) on success. */
  readonly sizeBytes: number;
  /** The runtime's error if the pull failed. */
  readonly error: string | undefined;
}

interface Request {
  readonly image: string;
  readonly requestedAt: number;
  readonly done: (r: PullResult) => void;
  /** Given up (the pod went): skipped in the queue, dropped from its pull. */
  cancelled: boolean;
}

interface InFlight {
  readonly startedAt: number;
  readonly requests: Request[];
}

/** One node's puller. Completions come from the runtime's `imagePulled` events, handed in with `pulled`. */
export class ImagePuller {
  private readonly queue: Request[] = [];
  private head = 0;
  private readonly inFlight = new Map<string, InFlight>();

  /** @param maxParallel 1 for serialized pulls; 0 for no limit. */
  constructor(
    private readonly images: ImageService,
    private readonly now: () => number,
    private readonly maxParallel: number,
  ) {}

  /**
   * Asks for `image`; `done` is called when it is present or its pull failed (possibly at once). Returns the
   * request's cancel: a request given up leaves the queue, and a pull no request waits for any more is aborted
   * (the pod worker cancels its sync's context, which cancels the CRI PullImage), so it holds up no other pod.
   */
  request(image: string, done: (r: PullResult) => void): () => void {
    const r: Request = { image, requestedAt: this.now(), done, cancelled: false };
    const flying = this.inFlight.get(image);
    if (flying !== undefined && this.maxParallel !== 1) flying.requests.push(r);
    else {
      this.queue.push(r);
      this.pump();
    }
    return () => this.cancel(r);
  }

  private cancel(r: Request): void {
    if (r.cancelled) return;
    r.cancelled = true;
    const f = this.inFlight.get(r.image);
    if (f === undefined || !f.requests.includes(r)) return;
    f.requests.splice(f.requests.indexOf(r), 1);
    if (f.requests.length > 0) return;
    this.inFlight.delete(r.image);
    this.images.cancelPull(r.image);
    this.pump();
  }

  /** The runtime reports a pull finished (its `imagePulled` event). */
  pulled(image: string, error: string | undefined): void {
    const f = this.inFlight.get(image);
    if (f === undefined) return;
    this.inFlight.delete(image);
    const now = this.now();
    const size = error === undefined ? (this.images.imageStatus(image)?.sizeBytes ?? 0) : 0;
    for (const r of f.requests) r.done({ pullMs: now - f.startedAt, totalMs: now - r.requestedAt, sizeBytes: size, error });
    this.pump();
  }

  /** Forgets every request (the kubelet stopped); pulls in flight are dropped with the runtime's events. */
  reset(): void {
    this.queue.length = 0;
    this.head = 0;
    this.inFlight.clear();
  }

  private pump(): void {
    while (this.head < this.queue.length && (this.maxParallel === 0 || this.inFlight.size < this.maxParallel)) {
      const r = this.queue[this.head++]!;
      if (this.head > 1024 && this.head * 2 > this.queue.length) {
        this.queue.splice(0, this.head);
        this.head = 0;
      }
      if (r.cancelled) continue;
      const present = this.images.imageStatus(r.image);
      if (present !== undefined && this.images.registryReachable(r.image)) {
        const waited = this.now() - r.requestedAt;
        r.done({ pullMs: 0, totalMs: waited, sizeBytes: present.sizeBytes, error: undefined });
        continue;
      }
      const flying = this.inFlight.get(r.image);
      if (flying !== undefined) {
        flying.requests.push(r);
        continue;
      }
      this.inFlight.set(r.image, { startedAt: this.now(), requests: [r] });
      this.images.pullImage(r.image);
    }
    // A drained queue lets go of its requests (their callbacks hold whole pods' container records).
    if (this.head === this.queue.length) {
      this.queue.length = 0;
      this.head = 0;
    }
  }
}
