/**
 * A quantity printed as the API server prints it: resource.Quantity.String() (k8s.io/apimachinery/pkg/api/resource
 * quantity.go CanonicalizeBytes, amount.go AsCanonicalBytes / AsCanonicalBase1024Bytes). What `kubectl get -o yaml`
 * shows and what messages such as ResourceQuota's `exceeded quota: ..., requested: requests.cpu=500m` print.
 */
import type { Quantity } from "./quantity.js";

const NANO = 1_000_000_000n;
const DECIMAL_SUFFIX: Readonly<Record<number, string>> = { [-9]: "n", [-6]: "u", [-3]: "m", 0: "", 3: "k", 6: "M", 9: "G", 12: "T", 15: "P", 18: "E" };
const BINARY_SUFFIX = ["", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"];

/**
 * Quantity.String(): zero is "0"; BinarySI stays binary only for a whole value of at least 1024 in magnitude (else
 * DecimalSI: `512`, `307200m`), printed as the largest power of 1024 that divides it (`1024Mi` is `1Gi`, `1.5Gi` is
 * `1536Mi`); DecimalSI and DecimalExponent print the integer mantissa with every factor of ten moved into the
 * exponent, the exponent then lowered to a multiple of three (`1.5` is `1500m`, `2000` is `2k`, `0.1` is `100m`),
 * with the SI suffix, or `e<exponent>` for DecimalExponent (and for a DecimalSI exponent past E).
 */
export function formatQuantity(q: Quantity): string {
  if (q.nanos === 0n) return "0";
  const negative = q.nanos < 0n;
  const abs = negative ? -q.nanos : q.nanos;
  const sign = negative ? "-" : "";
  let format = q.format;
  if (format === "BinarySI" && (abs < 1024n * NANO || abs % NANO !== 0n)) format = "DecimalSI";
  if (format === "BinarySI") {
    let amount = abs / NANO;
    let exp = 0;
    while (amount % 1024n === 0n && exp < BINARY_SUFFIX.length - 1) {
      amount /= 1024n;
      exp++;
    }
    return `${sign}${amount}${BINARY_SUFFIX[exp]}`;
  }
  // AsCanonicalBytes: remove the factors of ten, then bring the exponent down to a multiple of three.
  let amount = abs;
  let exp = -9;
  while (amount % 10n === 0n) {
    amount /= 10n;
    exp++;
  }
  const r = ((exp % 3) + 3) % 3;
  amount *= 10n ** BigInt(r);
  exp -= r;
  if (format === "DecimalExponent") return `${sign}${amount}${exp === 0 ? "" : `e${exp}`}`;
  const suffix = DECIMAL_SUFFIX[exp];
  return `${sign}${amount}${suffix ?? `e${exp}`}`;
}
