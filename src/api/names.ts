/**
 * The alphabet of k8s.io/apimachinery/pkg/util/rand (String and SafeEncodeString): no vowels, so generated names
 * never spell words, and no confusable characters (0/o, 1/l).
 */
export const SAFE_ALPHANUMS = "bcdfghjklmnpqrstvwxz2456789";
