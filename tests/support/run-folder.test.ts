import { strict as assert } from "node:assert";
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, statSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { stopServersIn } from "./run-folder";

/** A process that keeps a PostgreSQL-style pid file in `dataDir`, and removes it on SIGINT unless told to ignore it. */
async function fakeServer(dataDir: string, onInterrupt: "stop" | "ignore"): Promise<ChildProcess> {
  mkdirSync(dataDir, { recursive: true });
  const pidFile = path.join(dataDir, "postmaster.pid");
  const trap = onInterrupt === "stop" ? `rm -f '${pidFile}'; exit 0` : "";
  const server = spawn(
    "bash",
    ["-c", `trap "${trap}" INT; echo $$ > '${pidFile}'; while :; do sleep 0.05; done`],
    {
      stdio: "ignore",
    },
  );
  while (!existsSync(pidFile)) await sleep(10);
  return server;
}

const exited = (child: ChildProcess) => child.exitCode !== null || child.signalCode !== null;

describe("the test run's temporary folder", () => {
  it("holds this process's temporary files, and PostgreSQL (another user, as root) may pass through it", () => {
    const folder = os.tmpdir();
    assert.match(path.basename(folder), /^pipelines-test-run-/);
    assert.equal(statSync(folder).mode & 0o777, 0o755);
  });

  describe("stopping the servers left in it", () => {
    let folder: string;
    const servers: ChildProcess[] = [];
    beforeEach(() => {
      folder = mkdtempSync(path.join(os.tmpdir(), "servers-"));
    });
    afterEach(() => {
      for (const server of servers.splice(0)) if (!exited(server)) server.kill("SIGKILL");
    });

    it("interrupts each server and waits until it has removed its pid file", async () => {
      servers.push(await fakeServer(path.join(folder, "a", "data"), "stop"));
      servers.push(await fakeServer(path.join(folder, "b", "data"), "stop"));
      await stopServersIn(folder);
      assert.ok(!existsSync(path.join(folder, "a", "data", "postmaster.pid")));
      assert.ok(!existsSync(path.join(folder, "b", "data", "postmaster.pid")));
    });

    it("skips a cluster whose server already stopped, and one whose pid file outlived a crash", async () => {
      mkdirSync(path.join(folder, "stopped", "data"), { recursive: true });
      const crashed = await fakeServer(path.join(folder, "crashed", "data"), "stop");
      crashed.kill("SIGKILL");
      while (!exited(crashed)) await sleep(10);
      await stopServersIn(folder);
      assert.ok(existsSync(path.join(folder, "crashed", "data", "postmaster.pid")));
    });

    it("names the server and its folder when it does not stop in time", async () => {
      const stubborn = await fakeServer(path.join(folder, "stubborn", "data"), "ignore");
      servers.push(stubborn);
      await assert.rejects(
        stopServersIn(folder, 100),
        new RegExp(
          `PostgreSQL \\(pid ${stubborn.pid}\\) in .*stubborn/data did not stop within 100 ms`,
        ),
      );
    });
  });
});
