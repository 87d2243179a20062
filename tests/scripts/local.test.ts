import { strict as assert } from "node:assert";
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { portFromEnvironment } from "../../scripts/local";

/** Whether something accepts TCP connections on 127.0.0.1:port. */
function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: "127.0.0.1", port });
    socket.once("connect", () => (socket.destroy(), resolve(true)));
    socket.once("error", () => resolve(false));
  });
}

describe("npm run local", () => {
  let dataDir: string;
  let npm: ChildProcess | undefined;
  before(() => {
    dataDir = mkdtempSync(path.join(tmpdir(), "local-service-"));
  });
  after(() => {
    if (npm?.exitCode === null) npm.kill("SIGKILL");
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("serves on free ports (PostgreSQL's not the old fixed 54329), and SIGTERM to npm stops both servers and exits", async () => {
    // Its own PostgreSQL, not the test run's shared one: what is tested is that the command starts it and stops it.
    // No PGPORT: PostgreSQL's own tools read it too, so an empty one would break initdb rather than mean "any".
    const { PGPORT: _unset, ...inherited } = process.env;
    const env = { ...inherited, PORT: "0", PGDATA: dataDir };
    npm = spawn("npm", ["run", "local"], { env, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    npm.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
    npm.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) =>
      npm!.once("exit", (code, signal) => resolve({ code, signal })),
    );
    const started = await Promise.race([
      new Promise<boolean>((resolve) =>
        npm!.stdout!.on("data", () => output.includes("SIGTERM") && resolve(true)),
      ),
      exited.then(() => false),
    ]);
    assert.ok(started, output);
    const httpPort = Number(/http:\/\/localhost:(\d+)/.exec(output)![1]);
    const postgresPort = Number(/PGPORT=(\d+)/.exec(output)![1]);
    assert.notEqual(httpPort, 0);
    assert.notEqual(postgresPort, 54329);
    assert.deepEqual([await listening(httpPort), await listening(postgresPort)], [true, true]);
    const response = await fetch(`http://127.0.0.1:${httpPort}/session`);
    assert.equal(response.status, 200, await response.text());

    npm.kill("SIGTERM");
    // npm hands the signal to the script and ends by it; the script then closes both servers and exits 0.
    const { code, signal } = await exited;
    assert.ok(code === 0 || signal === "SIGTERM", `npm exited ${code} ${signal}\n${output}`);
    while ((await listening(httpPort)) || (await listening(postgresPort)))
      await new Promise((resolve) => setTimeout(resolve, 100));
    assert.doesNotMatch(output, /npm run local failed|Error/);
  });

  it("takes PGPORT and PORT when set, and names the variable when one is not a port", () => {
    assert.equal(portFromEnvironment("PGPORT", "55432", undefined), 55432);
    assert.equal(portFromEnvironment("PGPORT", undefined, undefined), undefined);
    assert.equal(portFromEnvironment("PORT", "", 3000), 3000);
    assert.throws(
      () => portFromEnvironment("PGPORT", "5432x", undefined),
      /^Error: PGPORT: "5432x" is not a port \(an integer from 0 to 65535/,
    );
    assert.throws(() => portFromEnvironment("PORT", "70000", 3000), /PORT: "70000" is not a port/);
  });
});
