import { strict as assert } from "node:assert";
import { spawn } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
const { runScripts } = require("../../tooling/run-scripts.js") as {
  runScripts(
    names: string[],
    options: { folder: string; write(text: string): void },
  ): Promise<number>;
};

describe("package scripts run at once (tooling/run-scripts.js, npm test)", () => {
  let folder: string;
  before(() => {
    folder = mkdtempSync(path.join(tmpdir(), "run-scripts-"));
    mkdirSync(path.join(folder, "node_modules", ".bin"), { recursive: true });
    const greet = path.join(folder, "node_modules", ".bin", "greet");
    writeFileSync(greet, "#!/bin/sh\necho greeted from the bin\n");
    chmodSync(greet, 0o755);
    writeFileSync(
      path.join(folder, "package.json"),
      JSON.stringify({
        scripts: {
          // `waits` holds its second line until `marks` has run, so the two run at once and their lines interleave.
          waits: "echo waits-1; until [ -f marker ]; do sleep 0.01; done; echo waits-2",
          marks: "echo marks-1 >&2; touch marker; echo marks-2",
          fails: "echo about to fail; exit 3",
          greets: "greet",
          sleeps: "touch started; sleep 30 && echo slept",
          environment: 'echo "certificates: ${NODE_EXTRA_CA_CERTS-none}; home: $HOME"',
        },
      }),
    );
  });
  after(() => rmSync(folder, { recursive: true, force: true }));
  afterEach(() =>
    ["marker", "started"].forEach((file) => rmSync(path.join(folder, file), { force: true })),
  );

  async function run(...names: string[]) {
    let output = "";
    const code = await runScripts(names, { folder, write: (text) => (output += text) });
    return { code, output };
  }

  it("runs them at once and prints each one's output, stderr included, as one block under its name", async () => {
    const { code, output } = await run("waits", "marks");
    assert.equal(code, 0);
    assert.match(output, /> waits: [^\n]*\nwaits-1\nwaits-2\n/);
    assert.match(output, /> marks: [^\n]*\nmarks-1\nmarks-2\n/);
  });

  it("runs every script to its end when one fails, names the failure and exits 1", async () => {
    const { code, output } = await run("fails", "waits", "marks");
    assert.equal(code, 1);
    assert.match(output, /> fails: [^\n]*\nabout to fail\n> fails failed \(exit code 3\)\n/);
    assert.match(output, /waits-2/);
  });

  it("passes the environment on without NODE_EXTRA_CA_CERTS, which costs every Node process a parse of its bundle", async () => {
    const original = process.env.NODE_EXTRA_CA_CERTS;
    process.env.NODE_EXTRA_CA_CERTS = "/etc/ssl/certs/ca-certificates.crt";
    try {
      const { code, output } = await run("environment");
      assert.equal(code, 0);
      assert.ok(output.includes(`certificates: none; home: ${process.env.HOME}\n`), output);
    } finally {
      if (original === undefined) delete process.env.NODE_EXTRA_CA_CERTS;
      else process.env.NODE_EXTRA_CA_CERTS = original;
    }
  });

  it("finds the package's own commands first, as npm does", async () => {
    assert.deepEqual(await run("greets"), {
      code: 0,
      output: "\n> greets: greet\ngreeted from the bin\n",
    });
  });

  it("refuses a script package.json does not have, naming it, and runs nothing", async () => {
    const { code, output } = await run("marks", "tset");
    assert.equal(code, 1);
    assert.match(output, /no script tset in .*package\.json/);
    assert.doesNotMatch(output, /marks-1/);
  });

  it("passes SIGTERM on to the commands a script started, and reports the script as failed", async () => {
    // `greets` has ended and been printed by then: the signal goes on to the running script only.
    const runner = spawn(
      process.execPath,
      [path.resolve(__dirname, "../../tooling/run-scripts.js"), "greets", "sleeps"],
      {
        cwd: folder,
      },
    );
    let output = "";
    runner.stdout.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
    const exited = new Promise<number | null>((resolve) => runner.on("close", resolve));
    while (!existsSync(path.join(folder, "started")) || !output.includes("greeted from the bin"))
      await new Promise((resolve) => setTimeout(resolve, 10));
    runner.kill("SIGTERM");
    assert.equal(await exited, 1);
    assert.match(output, /> sleeps failed \(SIGTERM\)/);
    assert.doesNotMatch(output, /^slept$/m);
    assert.match(output, /> greets: greet\ngreeted from the bin\n/);
    assert.doesNotMatch(output, /greets failed/);
  });
});
