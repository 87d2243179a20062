import { strict as assert } from "node:assert";
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { parseCachedYaml } from "../../tooling/mocks/yaml-cache";

describe("parsed YAML kept as JSON (tooling/mocks/yaml-cache.ts)", () => {
  let cacheDir: string;
  beforeEach(() => {
    cacheDir = mkdtempSync(path.join(tmpdir(), "yaml-cache-"));
  });
  const kept = () => readdirSync(cacheDir).map((file) => path.join(cacheDir, file));

  it("keeps a parsed text as JSON and answers the same text from it", () => {
    const text = "config:\n  pipelines:stages: [test, deploy]\n  pipelines:dbMultiAz: true\n";
    const expected = {
      config: { "pipelines:stages": ["test", "deploy"], "pipelines:dbMultiAz": true },
    };
    assert.deepEqual(parseCachedYaml(text, cacheDir), expected);
    const [file] = kept();
    assert.deepEqual(JSON.parse(readFileSync(file, "utf8")), expected);
    // What is kept is what answers: a changed file shows through.
    writeFileSync(file, JSON.stringify({ config: { answeredFrom: "the cache" } }));
    assert.deepEqual(parseCachedYaml(text, cacheDir), { config: { answeredFrom: "the cache" } });
    assert.deepEqual(parseCachedYaml(`${text}# another text\n`, cacheDir), expected);
    assert.equal(kept().length, 2);
  });

  it("keeps nothing JSON would change (.inf, -0), and parses such a text every time", () => {
    assert.deepEqual(parseCachedYaml("limit: .inf\n", cacheDir), { limit: Infinity });
    assert.ok(
      Object.is((parseCachedYaml("offset: -0\n", cacheDir) as { offset: number }).offset, -0),
    );
    assert.deepEqual(kept(), []);
  });

  it("throws the parser's error for text that is not YAML, and keeps nothing", () => {
    assert.throws(
      () => parseCachedYaml("config: [unclosed\n", cacheDir),
      /Flow sequence|unclosed|Missing/i,
    );
    assert.deepEqual(kept(), []);
  });

  it("parses without keeping when the cache cannot be written", () => {
    const notAFolder = path.join(cacheDir, "file");
    writeFileSync(notAFolder, "");
    assert.deepEqual(parseCachedYaml("a: 1\n", notAFolder), { a: 1 });
  });
});
