// Required by .mocharc.js before any spec file loads: the test run's one temporary folder. Every temporary file and
// PostgreSQL cluster of the run (in mocha's process, its parallel workers and their children) goes inside it through
// TMPDIR, and mocha's global teardown stops the servers left there and deletes it all; a worker keeps its cluster for
// all its files, so no hook inside a worker runs late enough to stop it.
import { chmodSync, existsSync, mkdtempSync, readFileSync, statfsSync } from "node:fs";
import { readFile, readdir, rm } from "node:fs/promises";
import * as os from "node:os";
import * as path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";

/** Memory the run may take from a memory-backed folder: a run peaks at about a quarter of it. */
const memoryFolderMinimumFree = 1024 ** 3;

/**
 * Linux's memory-backed /dev/shm when it is there, lets programs run from it and has room, else the system's temporary
 * folder: PostgreSQL's initdb and CREATE DATABASE write thousands of files, and creating them on ext4 (its search for a
 * free inode among recently deleted ones) took a quarter of the run's CPU.
 */
function temporaryRoot(): string {
  const memoryFolder = "/dev/shm";
  try {
    const mount = readFileSync("/proc/mounts", "utf8")
      .split("\n")
      .map((line) => line.split(" "))
      .findLast(([, mountPoint]) => mountPoint === memoryFolder);
    const { bavail, bsize } = statfsSync(memoryFolder);
    if (
      mount?.[2] === "tmpfs" &&
      !mount[3].split(",").includes("noexec") &&
      bavail * bsize >= memoryFolderMinimumFree
    )
      return memoryFolder;
  } catch {
    // Not Linux, or no /dev/shm: the system's temporary folder.
  }
  return os.tmpdir();
}

// Workers inherit their run's folder (mocha starts them after loading this file); a nested run makes its own.
const runFolder =
  process.env.MOCHA_WORKER_ID === undefined
    ? mkdtempSync(path.join(temporaryRoot(), "pipelines-test-run-"))
    : undefined;
if (runFolder) {
  // PostgreSQL runs as its own user when the tests run as root, and must pass through this folder to its data.
  chmodSync(runFolder, 0o755);
  process.env.TMPDIR = runFolder;
}

export async function mochaGlobalTeardown(): Promise<void> {
  if (!runFolder) return;
  await stopServersIn(runFolder);
  await rm(runFolder, { recursive: true, force: true });
}

/**
 * Stops the PostgreSQL server of each `<folder>/<cluster>/data` that has one running, as `pg_ctl stop -m fast` would:
 * SIGINT, then wait until the server removes its pid file.
 */
export async function stopServersIn(folder: string, timeoutMs = 10_000): Promise<void> {
  const clusters = await readdir(folder);
  await Promise.all(
    clusters.map((cluster) => stopServer(path.join(folder, cluster, "data"), timeoutMs)),
  );
}

async function stopServer(dataDir: string, timeoutMs: number): Promise<void> {
  const pidFile = path.join(dataDir, "postmaster.pid");
  const pid = Number((await readFile(pidFile, "utf8").catch(() => "")).split("\n")[0]);
  if (!pid) return;
  try {
    process.kill(pid, "SIGINT");
  } catch {
    return; // Already gone: a server that crashed leaves its pid file behind.
  }
  for (const deadline = Date.now() + timeoutMs; existsSync(pidFile); await sleep(20))
    if (Date.now() > deadline)
      throw new Error(
        `PostgreSQL (pid ${pid}) in ${dataDir} did not stop within ${timeoutMs} ms of SIGINT`,
      );
}
