import * as path from "node:path";
import { isDeepStrictEqual } from "node:util";
import { parse } from "yaml";
import { cacheRoot, cachedJson } from "../json-cache";

/** Where parsed YAML is kept as JSON, by a hash of the text. */
export const defaultYamlCacheDir = path.join(cacheRoot, "yaml");
const yamlVersion = (require("yaml/package.json") as { version: string }).version;

/**
 * YAML text parsed, or the JSON kept for the same text: parsing Pulumi.yaml and a stack file took a fifteenth of
 * `npm run plan`, reading their JSON a millisecond. A value JSON cannot hold exactly (`.inf`, -0) is not kept, and a
 * cache that cannot be written is skipped. Errors are the parser's, for the caller to name the file.
 */
export function parseCachedYaml(text: string, cacheDir = defaultYamlCacheDir): unknown {
  return cachedJson<unknown>(
    cacheDir,
    `${yamlVersion}\0${text}`,
    () => parse(text),
    (value, json) => isDeepStrictEqual(JSON.parse(json), value),
  );
}
