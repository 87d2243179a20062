import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { isDeepStrictEqual } from "node:util";
import { parse } from "yaml";

/** Where parsed YAML is kept as JSON, by a hash of the text. */
export const defaultYamlCacheDir = path.resolve(__dirname, "../../node_modules/.cache/yaml");
const yamlVersion = (require("yaml/package.json") as { version: string }).version;

/**
 * YAML text parsed, or the JSON kept for the same text: parsing Pulumi.yaml and a stack file took a fifteenth of
 * `npm run plan`, reading their JSON a millisecond. A value JSON cannot hold exactly (`.inf`, -0) is not kept, and a
 * cache that cannot be written is skipped. Errors are the parser's, for the caller to name the file.
 */
export function parseCachedYaml(text: string, cacheDir = defaultYamlCacheDir): unknown {
  const hash = createHash("sha256").update(`${yamlVersion}\0${text}`).digest("hex");
  const file = path.join(cacheDir, `${hash}.json`);
  try {
    return JSON.parse(readFileSync(file, "utf8"));
  } catch {
    // Not kept yet.
  }
  const value: unknown = parse(text);
  const json = JSON.stringify(value);
  if (json !== undefined && isDeepStrictEqual(JSON.parse(json), value)) {
    try {
      mkdirSync(cacheDir, { recursive: true });
      // Written whole under a unique name first, so a process reading the cache never sees half a file.
      const partial = `${file}.${process.pid}`;
      writeFileSync(partial, json);
      renameSync(partial, file);
    } catch {
      // A read-only checkout parses every time.
    }
  }
  return value;
}
