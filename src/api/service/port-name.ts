/**
 * IsValidPortName (k8s.io/apimachinery/pkg/util/validation/validation.go): a Service or container port name is an
 * IANA_SVC_NAME: at most 15 characters of a-z, 0-9 and '-', at least one letter, no '--', no '-' at either end.
 * Groundwork for issue 9 (not wired yet).
 */

/** Every problem of a port name, in upstream's order (empty when it is valid). */
export function portNameProblems(name: string): string[] {
  const errs: string[] = [];
  if (name.length > 15) errs.push("must be no more than 15 characters");
  if (!/^[-a-z0-9]+$/.test(name)) errs.push("must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)");
  if (!/[a-z]/.test(name)) errs.push("must contain at least one letter (a-z)");
  if (name.includes("--")) errs.push("must not contain consecutive hyphens (--)");
  if (name.length > 0 && (name.startsWith("-") || name.endsWith("-"))) errs.push("must not begin or end with a hyphen (-)");
  return errs;
}
