/**
 * The change log's file format (changes.log and changes.idx in a run folder), shared by the recorder and the
 * reader. changes.log is a sequence of segments; each starts with a header line and a snapshot of the whole store,
 * then holds the writes after it, one line each, fields separated by tabs (Kubernetes names, namespaces and kinds
 * hold no tab; the last field is JSON):
 *
 *   #k8sim-changes <format> <k8sim version> <startTime epoch ms> <segment start virtual ms> <resourceVersion>
 *   S <kind> <namespace> <name> <object JSON>                    snapshot, the state at the segment's start
 *   A <ms> <kind> <namespace> <name> <object JSON>                ADDED
 *   B <ms> <kind> <namespace> <name> <owner uid> <diff JSON>      ADDED, as the diff from the object last added in
 *                                                                 the segment with the same kind and first owner
 *                                                                 (a ReplicaSet's pods differ in a few leaves)
 *   M <ms> <kind> <namespace> <name> <diff JSON>                  MODIFIED: the changed leaves (diff.ts)
 *   D <ms> <kind> <namespace> <name>                             DELETED
 *   R <ms> <kind> <namespace> <name> <renewals>                  folded lease renewals (below)
 *
 * A lease renewal changes only resourceVersion and spec.renewTime, and renewTime is the write's own virtual time
 * (metav1.MicroTime of it), so each renewal is kept as two numbers: `R` lines hold runs of them as
 * `<ms>.<rv>;<dms>.<drv>;...` in base 36 (the first absolute, the rest as deltas), written when the lease next
 * changes otherwise, when the segment ends or when the run ends. So an R line may come after lines of later times;
 * a reader scans the whole segment and applies each renewal at its own time. Every other line is in write order.
 *
 * changes.idx has one line per segment: `<segment start virtual ms>\t<byte offset>\t<byte length>`.
 */

/** Version of the format; a reader refuses others. */
export const CHANGE_LOG_FORMAT = 1;

/** The file names in a run folder. */
export const CHANGE_LOG_FILE = "changes.log";
export const CHANGE_INDEX_FILE = "changes.idx";

/** The header line's first field. */
export const SEGMENT_MAGIC = "#k8sim-changes";

/** Shown instead of each value of a Secret's data: secret values never reach a report file. */
export const REDACTED = "REDACTED";
