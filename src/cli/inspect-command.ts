/**
 * `k8sim get` and `k8sim describe`: the cluster of a finished run as it was at any virtual time (the work is in
 * inspect-actions.ts, loaded when one of them runs, so `k8sim --version` and `k8sim logs` do not pay for it).
 */
import type { Command } from "commander";
import type { CliIO } from "./io.js";

/** Registers `get` and `describe` on the program; `exit` ends the command with a non-zero code. */
export function addInspectCommands(program: Command, io: CliIO, exit: (code: number) => never): void {
  const common = (c: Command) =>
    c
      .option("--at <duration>", "the virtual time to show (e.g. 12m; default the end of the run)")
      .option("-n, --namespace <ns>", "the namespace (default \"default\")")
      .option("-A, --all-namespaces", "list the objects of every namespace")
      .option("-l, --selector <selector>", "label selector, e.g. app=web,tier!=cache")
      .option("--field-selector <selector>", "field selector, e.g. spec.nodeName=worker-1,status.phase=Running");
  const end = (code: number) => {
    if (code !== 0) exit(code);
  };
  common(
    program
      .command("get")
      .description("show objects of a run as they were at a virtual time, as kubectl get prints them (`get events` for its Events)")
      .argument("<resource...>", "RESOURCE[/NAME] [NAME...] then the run folder, e.g. pods reports/node-failure/seed-42"),
  )
    .option("-o, --output <format>", "output format: wide, yaml, json or name")
    .option("--show-labels", "show every label as the last column")
    .option("--show-kind", "list the resource type with each name")
    .option("--no-headers", "print no header line")
    .action(async (args: string[], f) => end((await import("./inspect-actions.js")).getCommand(args, f, io)));
  common(
    program
      .command("describe")
      .description("describe objects of a run as they were at a virtual time, with their Events up to then, as kubectl describe prints them")
      .argument("<resource...>", "RESOURCE[/NAME] [NAME...] then the run folder, e.g. node/worker-3 reports/node-failure/seed-42"),
  ).action(async (args: string[], f) => end((await import("./inspect-actions.js")).describeCommand(args, f, io)));
}
