import { stat } from "node:fs/promises";
import * as path from "node:path";

/**
 * Fails, naming the folder and the fix, when a user other than the owner cannot enter every folder on the way to
 * `target`: as root, PostgreSQL runs as its own user, and a spawn it cannot reach fails outside any promise.
 */
export async function assertReachableByOthers(target: string, who: string): Promise<void> {
  for (let dir = path.resolve(target); ; dir = path.dirname(dir)) {
    const mode = (await stat(dir).catch(() => undefined))?.mode;
    if (mode !== undefined && (mode & 0o001) === 0)
      throw new Error(
        `${who} cannot enter ${dir} (mode ${(mode & 0o777).toString(8)}) on the way to ${target}: run \`chmod o+x ${dir}\`, or work in a folder other users may enter`,
      );
    if (path.dirname(dir) === dir) return;
  }
}
