import { execFileSync, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import * as path from "node:path";

const projectRoot = path.resolve(__dirname, "..");

/** What one run of a command took: wall-clock seconds, and CPU seconds of it and its children where Linux says. */
export interface CommandTime {
  readonly wallSeconds: number;
  /** User plus system CPU time; unknown off Linux. */
  readonly cpuSeconds?: number;
}

// Linux counts the CPU time of every waited-for child (and its own waited-for children) in /proc/self/stat; a shared
// machine inflates wall time, this much less.
const clockTicks = (() => {
  try {
    return Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
  } catch {
    return 100;
  }
})();
function childrenCpuSeconds(): number | undefined {
  try {
    const fields = readFileSync("/proc/self/stat", "utf8").split(") ")[1].split(" ");
    // Fields 16 and 17 of the file (cutime, cstime); the split leaves field 3 at index 0.
    return (Number(fields[13]) + Number(fields[14])) / clockTicks;
  } catch {
    return undefined;
  }
}

/** One run of a command in the project folder; a failed run fails the benchmark. */
function timeOf(command: string, args: readonly string[]): CommandTime {
  const cpuBefore = childrenCpuSeconds();
  const started = process.hrtime.bigint();
  const result = spawnSync(command, args, {
    cwd: projectRoot,
    stdio: "ignore",
    env: { ...process.env, PULUMI_CONFIG_PASSPHRASE: "" },
  });
  const wallSeconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (result.status !== 0)
    throw new Error(`${command} ${args.join(" ")} exited with ${result.status ?? result.signal}`);
  const cpuAfter = childrenCpuSeconds();
  return {
    wallSeconds,
    cpuSeconds:
      cpuBefore === undefined || cpuAfter === undefined ? undefined : cpuAfter - cpuBefore,
  };
}

/**
 * The run with the median wall time of a command, warm: a first run fills the caches (incremental type-check, lint
 * and format caches, transpiled files) and is not counted.
 */
export function warmCommandTime(
  command: string,
  args: readonly string[],
  runs: number,
): CommandTime {
  timeOf(command, args);
  const times = Array.from({ length: runs }, () => timeOf(command, args)).sort(
    (a, b) => a.wallSeconds - b.wallSeconds,
  );
  return times[Math.floor(times.length / 2)];
}
