/**
 * Seeded stand-ins for the cluster's key material: the root CA bundle the controller manager publishes
 * (--root-ca-file upstream) and the legacy service-account tokens it signs (pkg/serviceaccount/jwt.go). Both are
 * PEM- or token-shaped text that is plainly not real: no key exists, nothing verifies, and each says what it is.
 * Same seed, same values; nothing here reads the clock.
 */
import type { Rng } from "../../engine/rng.js";

/** The alphabet of the stand-ins' random part (base64's, so the CA body is valid PEM text). */
const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

function draw(rng: Rng, n: number): string {
  let s = "";
  for (let i = 0; i < n; i++) s += ALPHABET[Math.floor(rng() * ALPHABET.length)];
  return s;
}

/** The name of the stream the cluster CA is drawn from (one per run, so every consumer sees the same bundle). */
export const CLUSTER_CA_STREAM = "cluster-ca";

/**
 * The cluster's root CA bundle stand-in: a PEM block whose body announces itself (`k8sim/simulated/...`) followed
 * by 32 seeded characters, so two seeds give two bundles and the text is never mistaken for a certificate.
 * `rng` is a fresh stream (`sim.stream(CLUSTER_CA_STREAM)`): the bundle is its first 32 draws.
 */
export function standInRootCA(rng: Rng): string {
  return `-----BEGIN CERTIFICATE-----\nk8sim/simulated/cluster/root/ca/not/a/real/certificate/${draw(rng, 32)}\n-----END CERTIFICATE-----\n`;
}

/**
 * A legacy service-account token stand-in (upstream: a signed JWT from TokenGenerator.GenerateToken with
 * LegacyClaims): `k8sim-simulated-token.<namespace>.<account>.<40 seeded characters>`. It is secret data: it lives
 * only in a Secret's data, which nothing k8sim writes prints.
 */
export function standInToken(rng: Rng, namespace: string, account: string): string {
  return `k8sim-simulated-token.${namespace}.${account}.${draw(rng, 40)}`;
}
