import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";

/** Runs a shell snippet with stand-in commands first on PATH; returns its exit status and output. */
export function runWithStandIns(
  script: string,
  standIns: Record<string, string>,
  env: Record<string, string> = {},
  setUp: (dir: string) => void = () => undefined,
) {
  const dir = mkdtempSync(path.join(tmpdir(), "buildspec-"));
  const bin = path.join(dir, "bin");
  mkdirSync(bin);
  for (const [command, body] of Object.entries(standIns)) {
    writeFileSync(path.join(bin, command), `#!/usr/bin/env bash\n${body}\n`);
    chmodSync(path.join(bin, command), 0o755);
  }
  setUp(dir);
  const result = spawnSync("bash", ["-c", script], {
    cwd: dir,
    encoding: "utf8",
    env: { PATH: `${bin}:${process.env.PATH}`, HOME: dir, ...env },
  });
  return { status: result.status, output: `${result.stdout}${result.stderr}`, dir };
}
