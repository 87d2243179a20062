import { strict as assert } from "node:assert";
import { execFile } from "node:child_process";
import { executableStandIn, type ExecutableStandIn } from "./executable-stand-in";

/** Runs the executable as the code under test does (spawned, output piped), whatever its exit status. */
const run = (command: string, args: string[]) =>
  new Promise<{ status: number; stdout: string; stderr: string }>((resolve) =>
    execFile(command, args, { maxBuffer: 8 * 1024 * 1024 }, (error, stdout, stderr) =>
      resolve({ status: Number(error?.code ?? 0), stdout, stderr }),
    ),
  );

describe("an executable stand-in (bash asking a server in the test process)", () => {
  let received: string[][];
  let standIn: ExecutableStandIn;
  const large = `${"0123456789".repeat(200_000)}\n`;

  before(async () => {
    received = [];
    standIn = await executableStandIn("tool", (args) => {
      received.push(args);
      if (args[0] === "large") return { status: 0, stdout: large, stderr: "done\n" };
      if (args[0] === "crash") throw new Error("no answer for crash");
      return { status: 3, stdout: "out ☕\n", stderr: "err ☕\n" };
    });
  });
  after(() => standIn.close());

  it("receives every argument as given: spaces, quotes, newlines, empty, shell syntax, non-ASCII", async () => {
    const args = [
      "a b",
      `it's "q"`,
      "line 1\nline 2",
      "",
      "$(touch owned) *",
      "ünïcødé ☕",
      "\r\n",
    ];
    const result = await run(standIn.command, args);
    assert.deepEqual(received.at(-1), args);
    assert.deepEqual(result, { status: 3, stdout: "out ☕\n", stderr: "err ☕\n" });
    await run(standIn.command, []);
    assert.deepEqual(received.at(-1), []);
  });

  it("prints a large output whole on stdout, apart from stderr", async () => {
    const result = await run(standIn.command, ["large"]);
    assert.equal(result.status, 0);
    assert.ok(result.stdout === large, `stdout is ${result.stdout.length} characters`);
    assert.equal(result.stderr, "done\n");
  });

  it("fails with the stand-in's error when its answer throws", async () => {
    const result = await run(standIn.command, ["crash"]);
    assert.equal(result.status, 70);
    assert.match(result.stderr, /tool stand-in failed: Error: no answer for crash/);
  });
});
