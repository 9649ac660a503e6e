/**
 * Behavior profiles (`spec.behaviors`) matched to containers, and the behavior each container ends up with:
 * every profile whose selector matches the pod's labels (and whose `container`, if set, names the container)
 * applies in file order, a later one's keys replacing an earlier one's; then the pod's own annotations
 * (`behavior.k8sim.dev/<key>`, then `behavior.k8sim.dev/<container>.<key>`) replace those. A container whose
 * behavior sets no runFor and whose command is `sleep N` runs N seconds.
 */
import { matchesSelector } from "../api/selectors.js";
import type { Container, LabelSelector, Pod } from "../api/types.js";
import { annotationBehaviors, mergeBehaviors, shellProgram, type BehaviorSpec } from "./behavior.js";

/** One entry of spec.behaviors. */
export interface BehaviorProfile {
  readonly name: string;
  /** Which pods (by label); required. */
  readonly selector: LabelSelector;
  /** Only pods in these namespaces, if set. */
  readonly namespaces?: readonly string[];
  /** Only the container of this name, if set. */
  readonly container?: string;
  readonly spec: BehaviorSpec;
}

/** A container's behavior and how long it runs when its behavior does not say. */
export interface ResolvedBehavior {
  readonly spec: BehaviorSpec;
  /** `sleep N`'s N in ms, else Infinity (runs until stopped). */
  readonly runForMs: number;
}

/** Whether a profile applies to a container of a pod. */
export function profileMatches(p: BehaviorProfile, pod: Pod, container: string | undefined): boolean {
  if (p.namespaces !== undefined && !p.namespaces.includes(pod.metadata.namespace ?? "default")) return false;
  if (p.container !== undefined && container !== undefined && p.container !== container) return false;
  return matchesSelector(p.selector, pod.metadata.labels);
}

/** Resolves containers' behaviors against a run's profiles (see the file comment). */
export class BehaviorResolver {
  /** For exitCodes: per controller owner uid and container, each pod's place among the owner's pods (by first
   *  resolve, which is deterministic), so the k-th pod of a Job takes the k-th code. Only pods with exitCodes are
   *  remembered. */
  private readonly attempts = new Map<string, Map<string, number>>();

  constructor(readonly profiles: readonly BehaviorProfile[]) {}

  /** The behavior of `container` in `pod`. */
  resolve(pod: Pod, container: Container): ResolvedBehavior {
    const layers: (BehaviorSpec | undefined)[] = [];
    for (const p of this.profiles) if (profileMatches(p, pod, container.name)) layers.push(p.spec);
    const a = annotationBehaviors(pod.metadata.annotations);
    layers.push(a.all, a.byContainer.get(container.name));
    let spec = mergeBehaviors(layers);
    if (spec.exitCodes !== undefined) spec = { ...spec, exitCode: spec.exitCodes[Math.min(this.attempt(pod, container.name), spec.exitCodes.length - 1)]! };
    // A command k8sim can read (`sleep 5 && exit 42`) says how long it runs and how it exits, unless the behavior does.
    const program = shellProgram(container.command, container.args);
    if (program !== undefined && program.exitCode !== 0 && spec.exitCode === undefined) spec = { ...spec, exitCode: program.exitCode };
    return { spec, runForMs: program?.runForMs ?? Infinity };
  }

  /** The pod's index among the pods of its controller owner (or 0 for a pod without one) for this container. */
  private attempt(pod: Pod, container: string): number {
    const owner = pod.metadata.ownerReferences?.find((r) => r.controller === true)?.uid;
    if (owner === undefined) return 0;
    const id = `${owner}\u0000${container}`;
    let seen = this.attempts.get(id);
    if (!seen) this.attempts.set(id, (seen = new Map()));
    const uid = pod.metadata.uid ?? pod.metadata.name;
    let k = seen.get(uid);
    if (k === undefined) seen.set(uid, (k = seen.size));
    return k;
  }
}
