import { strict as assert } from "node:assert";
import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";

const codeCache = path.resolve(__dirname, "../../tooling/code-cache.js");

/** A folder of CommonJS modules, a preload that keeps their code in `cache`, and a run of `main.js` under it. */
function project() {
  const folder = mkdtempSync(path.join(tmpdir(), "code-cache-"));
  const cache = path.join(folder, "cache");
  const write = (file: string, text: string) => writeFileSync(path.join(folder, file), text);
  write(
    "preload.js",
    `const { keepCompiledCode, codeCacheUse } = require(${JSON.stringify(codeCache)});
keepCompiledCode({ folder: ${JSON.stringify(cache)}, keeps: (file) => !file.endsWith("kept-out.js") });
process.on("exit", () => console.error(JSON.stringify(codeCacheUse())));`,
  );
  write(
    "main.js",
    `const helper = require("./helper");
require("./kept-out");
const esm = require("./dynamic");
console.log(JSON.stringify({
  isMain: require.main === module,
  thisIsExports: this === module.exports,
  filename: __filename,
  dirname: __dirname,
  resolved: require.resolve("./helper"),
  answer: helper.answer(),
  frame: new Error("here").stack.split("\\n")[1],
}));
esm.then((loaded) => console.log(JSON.stringify({ esm: loaded.value })));
`,
  );
  write("helper.js", "exports.answer = () => 42;\n");
  write("kept-out.js", "module.exports = 1;\n");
  // Loaded by Node's own loader: code from a cache cannot call import().
  write("dynamic.js", 'module.exports = import (\n  "./esm.mjs"\n);\n');
  write("esm.mjs", 'export const value = "esm";\n');
  // What the Pulumi SDK does when its closure code loads.
  write("allow-natives.js", 'require("node:v8").setFlagsFromString("--allow-natives-syntax");\n');
  /** Runs `main.js` in the folder, or in a copy of it elsewhere, with Node's options after the preload. */
  const run = (cwd = folder, nodeOptions: readonly string[] = []) => {
    const child = spawnSync(process.execPath, ["-r", "./preload.js", ...nodeOptions, "main.js"], {
      cwd,
      encoding: "utf8",
    });
    assert.equal(child.status, 0, child.stderr);
    return {
      output: child.stdout
        .trim()
        .split("\n")
        .map((line) => JSON.parse(line) as unknown),
      use: JSON.parse(child.stderr.trim().split("\n").pop() ?? "") as {
        reused: number;
        compiled: number;
      },
    };
  };
  return { folder, cache, write, run };
}

describe("the code cache (tooling/code-cache.js)", () => {
  it("lets the next process reuse each module's compiled code, with the module seeing what Node gives it", () => {
    const { folder, run } = project();
    const first = run();
    assert.deepEqual(first.use, { compiled: 2, reused: 0 });
    const second = run();
    assert.deepEqual(second.use, { compiled: 0, reused: 2 });
    assert.deepEqual(second.output, first.output);
    assert.deepEqual(second.output, [
      {
        isMain: true,
        thisIsExports: true,
        filename: path.join(folder, "main.js"),
        dirname: folder,
        resolved: path.join(folder, "helper.js"),
        answer: 42,
        frame: `    at Object.<anonymous> (${path.join(folder, "main.js")}:11:10)`,
      },
      { esm: "esm" },
    ]);
  });

  it("compiles a copy of the same files in another folder afresh: V8's code keeps the name it was compiled under", () => {
    const { folder, run } = project();
    const original = run();
    // The preload names the cache by its absolute path, so the copy shares it.
    const copy = mkdtempSync(path.join(tmpdir(), "code-cache-copy-"));
    cpSync(folder, copy, { recursive: true, filter: (source) => !source.endsWith("cache") });
    const copied = run(copy);
    assert.deepEqual(copied.use, { compiled: 2, reused: 0 });
    assert.deepEqual(copied.output[0], {
      ...(original.output[0] as object),
      filename: path.join(copy, "main.js"),
      dirname: copy,
      resolved: path.join(copy, "helper.js"),
      frame: `    at Object.<anonymous> (${path.join(copy, "main.js")}:11:10)`,
    });
  });

  // V8 rejects code compiled under other flags: mocha's workers start with one the other processes do not have, and the
  // SDK sets one as it runs.
  // (The second preload is a module of its own.)
  for (const [flags, options, preloaded] of [
    ["a command-line flag", ["--max-semi-space-size=64"], 0],
    ["a flag set after the process started", ["-r", "./allow-natives.js"], 1],
  ] as const)
    it(`keeps the code of processes under other V8 flags apart, so neither overwrites the other's (${flags})`, () => {
      const { folder, run } = project();
      assert.deepEqual(run().use, { compiled: 2, reused: 0 });
      assert.deepEqual(run(folder, options).use, { compiled: 2 + preloaded, reused: 0 });
      assert.deepEqual(run().use, { compiled: 0, reused: 2 });
      const again = run(folder, options);
      assert.deepEqual(again.use, { compiled: 0, reused: 2 + preloaded });
      assert.equal((again.output[0] as { answer: number }).answer, 42);
    });

  it("compiles a module whose text changed afresh, and keeps the other's code", () => {
    const { write, run } = project();
    run();
    write("helper.js", "exports.answer = () => 43;\n");
    const changed = run();
    assert.deepEqual(changed.use, { compiled: 1, reused: 1 });
    assert.equal((changed.output[0] as { answer: number }).answer, 43);
  });

  it("compiles again rather than run a cache file that is not V8's code", () => {
    const { cache, run } = project();
    run();
    for (const file of readdirSync(cache)) writeFileSync(path.join(cache, file), "not code");
    const damaged = run();
    assert.deepEqual(damaged.use, { compiled: 2, reused: 0 });
    assert.equal((damaged.output[0] as { answer: number }).answer, 42);
  });

  it("leaves a syntax error for Node's loader to report, naming the file", () => {
    const { folder, write } = project();
    write("broken.js", "const = 1;\n");
    const error = (() => {
      try {
        execFileSync(process.execPath, ["-r", "./preload.js", "broken.js"], {
          cwd: folder,
          encoding: "utf8",
          stdio: "pipe",
        });
      } catch (failure) {
        return String((failure as { stderr: string }).stderr);
      }
      return "";
    })();
    assert.match(error, /broken\.js:1/);
    assert.match(error, /SyntaxError/);
  });
});
