import { spawnSync } from "node:child_process";
import * as path from "node:path";

const projectRoot = path.resolve(__dirname, "..");

/** Wall-clock seconds of one run of a command in the project folder; a failed run fails the benchmark. */
function secondsOf(command: string, args: readonly string[]): number {
  const started = process.hrtime.bigint();
  const result = spawnSync(command, args, {
    cwd: projectRoot,
    stdio: "ignore",
    env: { ...process.env, PULUMI_CONFIG_PASSPHRASE: "" },
  });
  if (result.status !== 0)
    throw new Error(`${command} ${args.join(" ")} exited with ${result.status ?? result.signal}`);
  return Number(process.hrtime.bigint() - started) / 1e9;
}

/**
 * The median wall time of a command, warm: a first run fills the caches (incremental type-check, lint cache,
 * transpiled files) and is not counted.
 */
export function warmCommandSeconds(command: string, args: readonly string[], runs: number): number {
  secondsOf(command, args);
  const times = Array.from({ length: runs }, () => secondsOf(command, args)).sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}
