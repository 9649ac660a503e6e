/**
 * `npm run schemas:k8s`: regenerates schemas/kubernetes/v1.34.json from the pinned @kubernetes/client-node models
 * (scripts/k8s-schemas/build.ts). With `--check`, writes nothing and exits 1 when the committed file differs, which
 * is what test/strict-decode.test.ts also asserts.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { SCHEMA_FILE, buildSchemas, serializeSchemas } from "./k8s-schemas/build.js";

const target = fileURLToPath(new URL(`../${SCHEMA_FILE}`, import.meta.url));
const text = serializeSchemas(await buildSchemas());

if (process.argv.includes("--check")) {
  let current = "";
  try {
    current = readFileSync(target, "utf8");
  } catch {
    // A missing file is simply out of date.
  }
  if (current !== text) {
    console.error(`${SCHEMA_FILE} is out of date: run npm run schemas:k8s`);
    process.exit(1);
  }
  console.log(`${SCHEMA_FILE} is up to date`);
} else {
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(target, text);
  console.log(`wrote ${SCHEMA_FILE} (${text.length} bytes)`);
}
