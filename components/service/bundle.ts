import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import * as path from "node:path";

/** Where `npm run bundle` writes the service's functions, relative to the project root. */
export const bundleDirectory = "dist/lambdas/cupping";
/** The RDS certificate authorities `npm run bundle` writes beside the code, for PGSSLROOTCERT. */
export const certificateBundleFile = "rds-ca-bundle.pem";
/** Where the SQL migrations live, relative to the project root. */
export const migrationsDirectory = "lambdas/cupping/migrations";

/** The ids of the migrations in a folder (`<id>.sql`), in the order they apply. */
export function migrationIdsIn(directory: string): string[] {
  return readdirSync(directory)
    .filter((file) => file.endsWith(".sql"))
    .sort()
    .map((file) => file.replace(/\.sql$/, ""));
}

/** The bundle's entry points, as Lambda handler strings and the file each needs. */
export const entryPoints = {
  api: { handler: "handler.handler", file: "handler.js" },
  migrate: { handler: "migrate-handler.handler", file: "migrate-handler.js" },
} as const;

export class MissingBundleError extends Error {
  constructor(missing: readonly string[]) {
    super(
      `the service bundle is missing ${missing.join(", ")}: run npm run bundle first, then pulumi preview/up`,
    );
    this.name = "MissingBundleError";
  }
}

/**
 * Fails with a clear message when a real deployment would ship a bundle that was never built.
 * `engineAttached` is false under Pulumi mocks, where the code is never read.
 */
export function requireBundle(root: string, engineAttached: boolean): void {
  if (!engineAttached) return;
  const missing = Object.values(entryPoints)
    .map(({ file }) => path.join(bundleDirectory, file))
    .filter((file) => !existsSync(path.join(root, file)));
  if (missing.length > 0) throw new MissingBundleError(missing);
}

function filesBelow(directory: string): string[] {
  if (!existsSync(directory)) return [];
  return readdirSync(directory)
    .sort()
    .flatMap((entry) => {
      const full = path.join(directory, entry);
      return statSync(full).isDirectory() ? filesBelow(full) : [full];
    });
}

/**
 * A SHA-256 over the names and contents of the files below a directory (of those matching `pattern`), so a change to
 * any of them changes it. A missing directory hashes as empty.
 */
export function fingerprint(directory: string, pattern: RegExp = /./): string {
  const hash = createHash("sha256");
  for (const file of filesBelow(directory).filter((f) => pattern.test(f))) {
    hash
      .update(path.relative(directory, file).split(path.sep).join("/"))
      .update("\0")
      .update(readFileSync(file))
      .update("\0");
  }
  return hash.digest("hex");
}
