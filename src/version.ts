/** k8sim's version, written into summary.json: same scenario + seed + version => same bytes. Kept equal to
 *  package.json's by test/version.test.ts. */
export const K8SIM_VERSION = "0.1.0";
