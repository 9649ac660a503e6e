/**
 * The volume manager's record of one pod's configMap, secret and projected volumes while the kubelet waits for them
 * (pkg/kubelet/volumemanager: the reconciler mounts each volume of the desired state of the world through the
 * operation executor, whose nestedpendingoperations keep an exponential back-off per volume and pod; SyncPod waits
 * in WaitForAttachAndMount until all are mounted). The kubelet (src/kubelet/kubelet.ts) owns the timer; this class
 * only says what happens at a given time.
 *
 * NOTE: the reconciler runs every 100ms and a mount takes time; here a volume is tried exactly when its back-off
 * ends (the first attempt when the pod's first sync reaches the volume step) and a mount is instant. Retries are
 * driven by these timers, not by the informer: each failed retry records a FailedMount event upstream, so the
 * retry times are observable; a pod waiting on configuration costs an engine event per retry (2m2s apart at
 * most), a pod that references none costs nothing.
 */
import type { ConfigObjects } from "./refs.js";
import { mountFailedMessage, mountRetryDelay, mountsSeenAt, volumeSetUpError, type PodVolume } from "./volumes.js";

/** One volume's mount state. */
interface VolumeState {
  readonly volume: PodVolume;
  mounted: boolean;
  /** Failed attempts in a row. */
  failures: number;
  /** When it may be tried next (ms). */
  nextAttemptAt: number;
}

/** A failed mount attempt: the FailedMount event's message. */
export interface MountFailure {
  readonly volume: string;
  readonly message: string;
}

/** The mount state of one pod's configuration volumes. */
export class PodVolumeMounts {
  private readonly states: VolumeState[];
  /** When every volume was mounted (ms), once they are. */
  private mountedAt: number | undefined;

  /**
   * @param volumes the pod's configuration volumes (src/kubelet/config/refs.ts), at least one.
   * @param firstSync when the pod's first SyncPod reached WaitForAttachAndMount (ms): the grid of its later syncs.
   * @param syncRetryMs how long after a failed sync the pod worker syncs again (ms).
   */
  constructor(
    volumes: readonly PodVolume[],
    private readonly firstSync: number,
    private readonly syncRetryMs: number,
  ) {
    this.states = volumes.map((volume) => ({ volume, mounted: false, failures: 0, nextAttemptAt: firstSync }));
  }

  /** Whether every volume is mounted. */
  get allMounted(): boolean {
    return this.mountedAt !== undefined;
  }

  /**
   * Tries every unmounted volume whose back-off is over at `now` (ms), in spec order, and returns the failures, each
   * to be recorded as a Warning FailedMount event. A volume that fails waits mountRetryDelay(failures) from now.
   */
  attempt(now: number, namespace: string, objects: ConfigObjects): MountFailure[] {
    const failures: MountFailure[] = [];
    let pending = false;
    for (const s of this.states) {
      if (s.mounted) continue;
      if (s.nextAttemptAt > now) {
        pending = true;
        continue;
      }
      const error = volumeSetUpError(namespace, s.volume, objects);
      if (error === undefined) {
        s.mounted = true;
        continue;
      }
      s.failures++;
      s.nextAttemptAt = now + mountRetryDelay(s.failures);
      failures.push({ volume: s.volume.name, message: mountFailedMessage(s.volume.name, error) });
      pending = true;
    }
    if (!pending && this.mountedAt === undefined) this.mountedAt = now;
    return failures;
  }

  /** When to look again (ms): the next volume's retry while some are not mounted, else when the pod worker sees
   *  them all mounted (mountsSeenAt). */
  nextAt(): number {
    if (this.mountedAt !== undefined) return mountsSeenAt(this.firstSync, this.mountedAt, this.syncRetryMs);
    let next = Infinity;
    for (const s of this.states) if (!s.mounted && s.nextAttemptAt < next) next = s.nextAttemptAt;
    return next;
  }
}
