/**
 * What `k8sim get` and `k8sim describe` do (inspect-command.ts registers them): the cluster of a finished run as it
 * was at any virtual time, read back from the run folder's change log, printed with kubectl v1.32's flags, columns
 * and wording (src/inspect/print/). Loaded only when one of them runs.
 */
import type { KindSpec } from "../api/registry/kind-spec.js";
import { resolveResource, resourceNames } from "../api/registry/registry.js";
import type { KubeObject } from "../api/types.js";
import { parseSelector, matchesRequirements } from "../logs/selector.js";
import { eventsUntil, InspectError, objectsAt, objectsOfKinds, openRunFolder, resolveAt } from "../inspect/run-state.js";
import { correlateEvents, describeObject, noResourcesFound, matchFieldSelector, printEvents, printObjects, type CoreEvent, type OutputFormat } from "../inspect/print/index.js";
import { EXIT_EXPECTATION_FAILED, EXIT_INVALID_INPUT, type CliIO } from "./io.js";

/** Flags of `k8sim get` (kubectl get's, less those that need a live API server). */
export interface GetFlags {
  at?: string;
  output?: string;
  selector?: string;
  fieldSelector?: string;
  namespace?: string;
  allNamespaces?: boolean;
  showLabels?: boolean;
  showKind?: boolean;
  noHeaders?: boolean;
}

const OUTPUTS = ["", "wide", "yaml", "json", "name"] as const;
const EVENT_RESOURCES = new Set(["events", "event", "ev"]);

/** What to read: a kind (or the Events) and the names asked for, and the run folder. */
interface Target {
  spec?: KindSpec;
  events: boolean;
  names: string[];
  dir: string;
  written: string;
}

/** Splits `<resource>[/<name>] [name...] <run-dir>` as kubectl splits `TYPE[/NAME] [NAME...]`. */
function target(args: readonly string[]): Target {
  if (args.length < 2) throw new InspectError(`expected a resource and a run folder, e.g. \`k8sim get pods reports/node-failure/seed-42\`; got ${args.length === 0 ? "nothing" : `only ${JSON.stringify(args[0])}`}`);
  const dir = args[args.length - 1]!;
  const words = args.slice(0, -1);
  const [first, ...rest] = words;
  const slash = first!.indexOf("/");
  const resource = slash >= 0 ? first!.slice(0, slash) : first!;
  const names = slash >= 0 ? [first!.slice(slash + 1), ...rest] : rest;
  if (slash >= 0 && rest.some((r) => !r.includes("/"))) throw new InspectError("there is no need to specify a resource type as a separate argument when passing arguments in resource/name form (e.g. 'k8sim get resource/<resource_name>' instead of 'k8sim get resource resource/<resource_name>')");
  const lower = resource.toLowerCase();
  if (EVENT_RESOURCES.has(lower)) return { events: true, names, dir, written: resource };
  const spec = resolveResource(lower);
  if (!spec) throw new InspectError(`the server doesn't have a resource type "${resource}" (k8sim knows ${resourceNames()}, events)`);
  return { spec, events: false, names, dir, written: resource };
}

function outputOf(o: string | undefined): OutputFormat {
  const v = o ?? "";
  if (!(OUTPUTS as readonly string[]).includes(v)) throw new InspectError(`unable to match a printer suitable for the output format "${v}", allowed formats are: json,name,wide,yaml`);
  return v as OutputFormat;
}

/** The objects a get or describe selects: kind, namespace (-n, default "default"; -A all), names, -l, --field-selector. */
function select(t: Target, f: GetFlags, kindObjects: () => KubeObject[]): { objects: KubeObject[]; missing: string[] } {
  const namespaced = t.events || t.spec!.namespaced;
  const ns = f.allNamespaces ? undefined : (f.namespace ?? "default");
  let objects = kindObjects();
  if (namespaced && ns !== undefined) objects = objects.filter((o) => (o.metadata.namespace ?? "") === ns);
  if (f.selector !== undefined) {
    const s = parseSelector(f.selector);
    if (!s.ok) throw new InspectError(s.error);
    objects = objects.filter((o) => matchesRequirements(s.requirements, o.metadata.labels ?? {}));
  }
  if (f.fieldSelector !== undefined) {
    const kind = t.events ? "Event" : t.spec!.kind;
    const m = matchFieldSelector(kind, f.fieldSelector);
    if (!m.ok) throw new InspectError(m.error);
    objects = objects.filter(m.matches);
  }
  const missing: string[] = [];
  if (t.names.length > 0) {
    const byName = new Map(objects.map((o) => [o.metadata.name, o]));
    const picked: KubeObject[] = [];
    for (const n of t.names) {
      const o = byName.get(n);
      if (o) picked.push(o);
      else missing.push(n);
    }
    objects = picked;
  }
  return { objects, missing };
}

/** kubectl's NotFound line for a name not there at that time. */
function notFound(t: Target, name: string, ns: string | undefined): string {
  const plural = t.events ? "events" : qualified(t.spec!);
  return `Error from server (NotFound): ${plural} "${name}" not found${ns !== undefined && (t.events || t.spec!.namespaced) ? ` in namespace "${ns}"` : ""}`;
}

function qualified(spec: KindSpec): string {
  return spec.group ? `${spec.plural}.${spec.group}` : spec.plural;
}

/** An InspectError's message and exit 2; anything else is thrown on (an internal error). */
function failed(e: unknown, io: CliIO): number {
  if (e instanceof InspectError) {
    io.err(`k8sim: ${e.message}\n`);
    return EXIT_INVALID_INPUT;
  }
  throw e;
}

/** `k8sim get`; returns the exit code. */
export function getCommand(args: readonly string[], f: GetFlags & { headers?: boolean }, io: CliIO): number {
  let code = 0;
  try {
    const t = target(args);
    const run = openRunFolder(t.dir);
    const atMs = resolveAt(run, f.at);
    const output = outputOf(f.output);
    const nowMs = run.startTime + atMs;
    const opts = { nowMs, output, allNamespaces: f.allNamespaces === true, showKind: f.showKind === true, noHeaders: f.headers === false, showLabels: f.showLabels === true };
    const ns = f.allNamespaces ? undefined : (f.namespace ?? "default");
    let printed: { out: string; err: string };
    let missing: string[];
    if (t.events) {
      const events = correlateEvents(eventsUntil(run, atMs), run.startTime, atMs) as unknown as KubeObject[];
      const sel = select(t, f, () => events);
      missing = sel.missing;
      printed = printEvents(sel.objects as CoreEvent[], { ...opts, namespace: ns });
    } else {
      const sel = select(t, f, () => objectsAt(run, atMs, t.spec!.kind));
      missing = sel.missing;
      printed = printObjects(t.spec!.kind, sel.objects, { ...opts, namespace: ns, singleRequested: t.names.length === 1 });
    }
    for (const n of missing) io.err(notFound(t, n, ns) + "\n");
    if (printed.out) io.out(printed.out);
    // kubectl says "No resources found" only when nothing was asked by a name it could not find.
    if (printed.err && missing.length === 0) io.err(printed.err);
    if (missing.length > 0) code = EXIT_EXPECTATION_FAILED;
  } catch (e) {
    return failed(e, io);
  }
  return code;
}

/** `k8sim describe`; returns the exit code. */
export function describeCommand(args: readonly string[], f: GetFlags, io: CliIO): number {
  let code = 0;
  try {
    const t = target(args);
    if (t.events) throw new InspectError("describe events is not supported; use `k8sim get events <run-dir>`");
    const run = openRunFolder(t.dir);
    const atMs = resolveAt(run, f.at);
    const ns = f.allNamespaces ? undefined : (f.namespace ?? "default");
    const kind = t.spec!.kind;
    // What each describer shows besides the object: a node's pods and Lease, a ReplicaSet's pods, a Deployment's
    // ReplicaSets, a Service's slices; read in the same pass over the change log as the objects.
    const extra = kind === "Node" ? ["Pod", "Lease"] : kind === "ReplicaSet" ? ["Pod"] : kind === "Deployment" ? ["ReplicaSet"] : kind === "Service" ? ["EndpointSlice"] : [];
    const byKind = objectsOfKinds(run, atMs, [kind, ...extra]);
    const sel = select(t, f, () => byKind.get(kind)!);
    for (const n of sel.missing) io.err(notFound(t, n, ns) + "\n");
    if (sel.missing.length > 0) code = EXIT_EXPECTATION_FAILED;
    if (sel.objects.length === 0 && sel.missing.length === 0) {
      io.err(noResourcesFound(kind, { allNamespaces: f.allNamespaces === true, namespace: ns }));
    }
    if (sel.objects.length > 0) {
      // One object: only its own Events are read (a long run's events.jsonl holds millions).
      const about = sel.objects.length === 1 ? { kind, name: sel.objects[0]!.metadata.name } : undefined;
      const events = correlateEvents(eventsUntil(run, atMs, about), run.startTime, atMs);
      const pods = byKind.get("Pod");
      const replicaSets = byKind.get("ReplicaSet");
      const leases = byKind.get("Lease") ?? [];
      const endpointSlices = byKind.get("EndpointSlice");
      const texts = sel.objects.map((o) =>
        describeObject(o, {
          nowMs: run.startTime + atMs,
          events,
          pods,
          replicaSets,
          endpointSlices,
          lease: leases.find((l) => l.metadata.namespace === "kube-node-lease" && l.metadata.name === o.metadata.name),
        }),
      );
      io.out(texts.join("\n\n"));
    }
  } catch (e) {
    return failed(e, io);
  }
  return code;
}
