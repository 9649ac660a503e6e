/**
 * Kubernetes resource quantities ("500m", "1.5Gi", "1e3"), parsed exactly as
 * k8s.io/apimachinery/pkg/api/resource/quantity.go (ParseQuantity) does.
 *
 * A parsed quantity holds its value as an integer count of nano-units (BigInt), which is exactly what upstream keeps
 * after parsing: ParseQuantity rounds any non-zero value up (away from zero) to the nearest 10^-9. The accessors
 * return plain JS numbers, refusing values beyond Number.MAX_SAFE_INTEGER rather than returning a rounded one.
 */

/** How a quantity was written, which upstream keeps to format it back (resource.Format). */
export type QuantityFormat = "DecimalSI" | "BinarySI" | "DecimalExponent";

/** A parsed quantity (resource.Quantity): the value in nano-units, rounded up away from zero like upstream. */
export interface Quantity {
  /** Value x 10^9, an exact integer. */
  readonly nanos: bigint;
  /** The suffix family it was written with (resource.Format). */
  readonly format: QuantityFormat;
}

/** Outcome of `parseQuantity`: the value, or a message saying what was wrong and what was expected. */
export type QuantityResult = { ok: true; value: Quantity } | { ok: false; error: string };

const EXPECTED = "expected a number with an optional suffix (m, k, M, G, Ki, Mi, Gi, ...)";

/** decimalSI suffixes and their power of ten (quantity.go newSuffixer). */
const DECIMAL_SUFFIXES: Readonly<Record<string, number>> = { n: -9, u: -6, m: -3, "": 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
/** binarySI suffixes and their power of two. */
const BINARY_SUFFIXES: Readonly<Record<string, number>> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };

/** Largest decimal exponent we accept. NOTE: upstream accepts any int32 exponent (inf.Dec); values that large are
 *  meaningless for a simulated cluster and would only make BigInt arithmetic slow. */
const MAX_EXPONENT = 100;

/** quantity.go ErrFormatWrong's text, as the API server returns it for a value that is no quantity. */
export const QUANTITY_FORMAT_WRONG = "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";

// <signedNumber><suffix>; the suffix is validated separately to give the upstream grammar's exact answer.
const QUANTITY_RE = /^([+-]?)(\d+\.?\d*|\.\d+)(.*)$/;

/**
 * Parses a quantity string with the grammar of resource.ParseQuantity:
 * `<sign>?<digits>[.<digits>]<suffix>` where the suffix is binarySI (Ki Mi Gi Ti Pi Ei), decimalSI (n u m "" k M G
 * T P E) or a decimal exponent (e3, E-2). Leading/trailing spaces are an error, as upstream. Never throws.
 */
export function parseQuantity(s: string): QuantityResult {
  const bad = (why?: string): QuantityResult => ({
    ok: false,
    error: `invalid quantity ${JSON.stringify(s)}: ${why ? `${why}; ` : ""}${EXPECTED}`,
  });
  const m = QUANTITY_RE.exec(s);
  if (!m) return bad();
  const [, sign, num, suffix] = m as unknown as [string, string, string, string];

  let exp10: number;
  let exp2 = 0;
  let format: QuantityFormat;
  if (Object.hasOwn(DECIMAL_SUFFIXES, suffix)) {
    exp10 = DECIMAL_SUFFIXES[suffix]!;
    format = "DecimalSI";
  } else if (Object.hasOwn(BINARY_SUFFIXES, suffix)) {
    exp10 = 0;
    exp2 = BINARY_SUFFIXES[suffix]!;
    format = "BinarySI";
  } else if (/^[eE][+-]?\d+$/.test(suffix)) {
    exp10 = Number(suffix.slice(1));
    if (Math.abs(exp10) > MAX_EXPONENT) return bad(`exponent ${suffix.slice(1)} is out of range (at most ${MAX_EXPONENT})`);
    format = "DecimalExponent";
  } else {
    return bad();
  }

  const [intPart, fracPart = ""] = num.split(".") as [string, string?];
  const mantissa = BigInt((intPart || "0") + fracPart);
  // value = mantissa * 10^(exp10 - fracDigits) * 2^exp2; in nanos, multiply by 10^9.
  const pow10 = exp10 - fracPart.length + 9;
  let nanos = mantissa << BigInt(exp2);
  if (pow10 >= 0) nanos *= 10n ** BigInt(pow10);
  else nanos = ceilDiv(nanos, 10n ** BigInt(-pow10));
  if (sign === "-") nanos = -nanos;
  return { ok: true, value: { nanos, format } };
}

/**
 * Like resource.MustParse: parses a quantity literal written in code or tests, and throws if it is malformed.
 * Never use it on user input; use `parseQuantity` there.
 */
export function mustParseQuantity(s: string): Quantity {
  const r = parseQuantity(s);
  if (!r.ok) throw new Error(r.error);
  return r.value;
}

/** Divides a non-negative numerator, rounding up. */
function ceilDiv(n: bigint, d: bigint): bigint {
  return (n + d - 1n) / d;
}

/** Divides, rounding away from zero, as upstream's ScaledValue does (negativeScaleInt64 / inf.RoundUp). */
function divAwayFromZero(n: bigint, d: bigint): bigint {
  return n < 0n ? -ceilDiv(-n, d) : ceilDiv(n, d);
}

/**
 * The value in units of 10^scale, rounded away from zero (Quantity.ScaledValue). `scale` is -9 (nano) to 0.
 * Exact, as a BigInt.
 */
export function scaledValue(q: Quantity, scale: number): bigint {
  return divAwayFromZero(q.nanos, 10n ** BigInt(scale + 9));
}

function toSafeNumber(v: bigint, what: string): number {
  if (v > BigInt(Number.MAX_SAFE_INTEGER) || v < -BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new RangeError(`${what} ${v} is beyond Number.MAX_SAFE_INTEGER`);
  }
  return Number(v);
}

/** True when `milliValue(q)` (milli = true) or `value(q)` (milli = false) is an exact JS number, within
 *  Number.MAX_SAFE_INTEGER. */
export function fitsNumber(q: Quantity, milli: boolean): boolean {
  const v = scaledValue(q, milli ? -3 : 0);
  return v <= BigInt(Number.MAX_SAFE_INTEGER) && v >= -BigInt(Number.MAX_SAFE_INTEGER);
}

/**
 * The value in milli-units, rounded up away from zero: Quantity.MilliValue(). For CPU this is millicores
 * ("100m" -> 100, "0.1" -> 100, "1" -> 1000). Throws RangeError beyond Number.MAX_SAFE_INTEGER (check `fitsNumber(q, true)`).
 */
export function milliValue(q: Quantity): number {
  return toSafeNumber(scaledValue(q, -3), "milli value");
}

/**
 * The value in whole units, rounded up away from zero: Quantity.Value(). For memory this is bytes
 * ("1.5Gi" -> 1610612736), for pods a count. Throws RangeError beyond Number.MAX_SAFE_INTEGER.
 */
export function value(q: Quantity): number {
  return toSafeNumber(scaledValue(q, 0), "value");
}

/**
 * Formats millicores the way `kubectl` shows CPU: whole cores without a suffix ("4"), otherwise millicores
 * ("1500m"). The result parses back to the same value.
 */
export function formatCpuMilli(m: number): string {
  return m % 1000 === 0 ? String(m / 1000) : `${m}m`;
}

/**
 * Formats a byte count with the largest binary suffix that divides it exactly ("16Gi", "1536Mi", "3Ki"), or as a
 * plain integer ("1500"), like upstream's canonical form of a BinarySI quantity (Quantity.CanonicalizeBytes).
 * The result parses back to the same value.
 */
export function formatBytes(b: number): string {
  if (b === 0 || !Number.isInteger(b)) return String(b);
  const sign = b < 0 ? "-" : "";
  let v = Math.abs(b);
  let i = 0;
  const suffixes = ["", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"];
  while (i < suffixes.length - 1 && v % 1024 === 0) {
    v /= 1024;
    i++;
  }
  return `${sign}${v}${suffixes[i]}`;
}

/** A node capacity or container requests/limits map with every quantity resolved (v1.ResourceList). */
export interface ResourceList {
  /** "cpu" in millicores; 0 when absent. */
  cpuMilli: number;
  /** "memory" in bytes; 0 when absent. */
  memory: number;
  /** "pods" as a count; undefined when absent (a node then uses settings.maxPods). */
  pods?: number;
  /** Every other resource (ephemeral-storage, hugepages-2Mi, example.com/gpu, ...) in whole units. */
  other: Record<string, number>;
}

/** One bad entry of a resource map: which resource, and why. */
export interface ResourceError {
  resource: string;
  error: string;
}

/**
 * Resolves a resource map as written in a manifest or a node pool ({cpu: "500m", memory: "1Gi", pods: 110}).
 * Numbers are accepted as YAML gives them (as the Quantity JSON unmarshaller does). Each entry must be a
 * non-negative quantity that fits a JS number; "pods" and extended resources (names with a "/" outside
 * kubernetes.io) must be whole numbers, as upstream validation (pkg/apis/core/validation) requires.
 * Returns every bad entry, never throws.
 */
export function parseResourceList(
  rec: Readonly<Record<string, unknown>>,
): { ok: true; value: ResourceList } | { ok: false; errors: ResourceError[] } {
  const out: ResourceList = { cpuMilli: 0, memory: 0, other: {} };
  const errors: ResourceError[] = [];
  for (const [resource, raw] of Object.entries(rec)) {
    const error = (e: string) => errors.push({ resource, error: e });
    if (typeof raw !== "string" && typeof raw !== "number") {
      error(`expected a quantity such as "500m", "2" or "16Gi", got ${describe(raw)}`);
      continue;
    }
    const text = String(raw);
    const r = parseQuantity(text);
    if (!r.ok) {
      error(r.error);
      continue;
    }
    const q = r.value;
    if (q.nanos < 0n) {
      error(`invalid quantity ${JSON.stringify(text)}: must be greater than or equal to 0`);
      continue;
    }
    if (!fitsNumber(q, resource === "cpu")) {
      error(`invalid quantity ${JSON.stringify(text)}: too large to simulate`);
      continue;
    }
    if (resource === "cpu") {
      out.cpuMilli = milliValue(q);
      continue;
    }
    if (mustBeWhole(resource) && q.nanos % 1_000_000_000n !== 0n) {
      error(`invalid quantity ${JSON.stringify(text)}: ${resource} must be a whole number`);
      continue;
    }
    if (resource === "memory") out.memory = value(q);
    else if (resource === "pods") out.pods = value(q);
    else out.other[resource] = value(q);
  }
  return errors.length ? { ok: false, errors } : { ok: true, value: out };
}

/** Extended resources are fully-qualified names outside the kubernetes.io domain (helper.IsExtendedResourceName). */
function isExtendedResource(name: string): boolean {
  return name.includes("/") && !name.includes("kubernetes.io/");
}

/** Resources whose quantities must be whole numbers: pods and extended resources (validateBasicResource). */
export function mustBeWhole(name: string): boolean {
  return name === "pods" || isExtendedResource(name);
}

function describe(v: unknown): string {
  if (v === null || v === undefined) return "nothing";
  if (Array.isArray(v)) return "a list";
  return typeof v === "object" ? "a mapping" : `${typeof v} ${JSON.stringify(v)}`;
}
