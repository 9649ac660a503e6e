/**
 * `kubectl get` output for objects of one kind (kubectl/pkg/cmd/get/get.go with the server-side Table of
 * pkg/printers/internalversion and kubectl's printers): the human-readable table (NAMESPACE first with -A, upper
 * case headers, LABELS last with --show-labels, `kind.group/name` with --show-kind), -o wide's extra columns,
 * -o yaml / json of one object when one name was asked for and of a v1 List otherwise, and -o name.
 */
import { kindSpec } from "../../api/registry/registry.js";
import type { KubeObject } from "../../api/types.js";
import { formatLabels } from "./cells.js";
import { goJson } from "./go-json.js";
import { goYaml } from "./go-yaml.js";
import { kindTable } from "./kind-tables.js";
import { GET_TABWRITER, tabwrite } from "./tabwriter.js";

/** kubectl get's -o values k8sim prints ("" is the default table). */
export type OutputFormat = "" | "wide" | "yaml" | "json" | "name";

/** How to print. */
export interface PrintOptions {
  /** Epoch ms of the --at time: AGE and the other durations are measured to it. */
  nowMs: number;
  output: OutputFormat;
  /** -A: a NAMESPACE column first, and "No resources found" without a namespace. */
  allNamespaces: boolean;
  showKind?: boolean;
  noHeaders?: boolean;
  showLabels?: boolean;
  /** The namespace listed (-n, default "default"), for "No resources found in <ns> namespace."; absent with -A. */
  namespace?: string;
  /** One name was asked for (`get pod web-1`): -o yaml / json print the object itself rather than a List. */
  singleRequested?: boolean;
}

/** What kubectl writes: `out` to stdout, `err` to stderr (each "" or whole lines). */
export interface Printed {
  out: string;
  err: string;
}

/** `kind.group` in lower case, as -o name and --show-kind prefix a name ("pod", "deployment.apps"). */
export function kindPrefix(kind: string): string {
  const spec = kindSpec(kind);
  const group = spec?.group ?? "";
  return group ? `${kind.toLowerCase()}.${group}` : kind.toLowerCase();
}

/**
 * kubectl's line for an empty listing (stderr): get.go says "in <ns> namespace." whenever -A is not given, even for
 * a cluster-scoped kind (checked with kubectl v1.32: `get namespaces` with none prints "No resources found in
 * default namespace."), and "No resources found" with -A.
 */
export function noResourcesFound(kind: string, opts: Pick<PrintOptions, "allNamespaces" | "namespace">): string {
  void kind;
  return !opts.allNamespaces ? `No resources found in ${opts.namespace ?? "default"} namespace.\n` : "No resources found\n";
}

/** The v1 List kubectl prints for several objects (or none). */
export function asList(objects: readonly unknown[]): unknown {
  return { apiVersion: "v1", items: [...objects], kind: "List", metadata: { resourceVersion: "" } };
}

/** Prints `objects` (all of `kind`, in the order to list them) as `kubectl get` would. */
export function printObjects(kind: string, objects: readonly KubeObject[], opts: PrintOptions): Printed {
  return printTable(kind, objects, opts, (o, wide) => kindTable(kind).row(o, opts.nowMs, wide), kindTable(kind));
}

/** The shared body of printObjects and printEvents: `row` gives an object's cells. */
export function printTable(
  kind: string,
  objects: readonly KubeObject[],
  opts: PrintOptions,
  row: (o: KubeObject, wide: boolean) => string[],
  table: { columns: readonly string[]; wideColumns: readonly string[] },
  wideOrder?: (cells: string[]) => string[],
): Printed {
  switch (opts.output) {
    case "yaml":
    case "json": {
      const value = opts.singleRequested && objects.length === 1 ? objects[0] : asList(objects);
      return { out: opts.output === "yaml" ? goYaml(value) : goJson(value), err: "" };
    }
    case "name":
      return { out: objects.map((o) => `${kindPrefix(kind)}/${o.metadata.name}\n`).join(""), err: "" };
    default:
      break;
  }
  if (objects.length === 0) return { out: "", err: noResourcesFound(kind, opts) };
  const wide = opts.output === "wide";
  let header = wide ? (wideOrder ? wideOrder([...table.columns, ...table.wideColumns]) : [...table.columns, ...table.wideColumns]) : [...table.columns];
  const nameAt = header.indexOf("NAME");
  // get.go: no NAMESPACE column for a cluster-scoped resource, even with -A.
  const withNamespace = opts.allNamespaces && (kind === "Event" || (kindSpec(kind)?.namespaced ?? true));
  if (withNamespace) header = ["NAMESPACE", ...header];
  if (opts.showLabels) header.push("LABELS");
  const lines: string[] = [];
  if (!opts.noHeaders) lines.push(header.join("\t"));
  for (const o of objects) {
    let cells = row(o, wide);
    if (opts.showKind && nameAt >= 0) cells[nameAt] = `${kindPrefix(kind)}/${cells[nameAt]}`;
    if (withNamespace) cells = [o.metadata.namespace ?? "", ...cells];
    if (opts.showLabels) cells.push(formatLabels(o.metadata.labels));
    lines.push(cells.join("\t"));
  }
  return { out: tabwrite(lines.join("\n") + "\n", GET_TABWRITER), err: "" };
}
