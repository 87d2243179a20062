import * as assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { rules } from "../../policies/rules";
import { runPolicies } from "../support/policy";

const packDir = path.resolve(__dirname, "../../policies");

describe("policies: the pack", () => {
  it("has rules with unique names, descriptions, mandatory by default", () => {
    const names = rules.map((rule) => rule.name);
    assert.deepEqual(names, [...new Set(names)], "rule names must be unique");
    for (const rule of rules) {
      assert.match(
        rule.name,
        /^[a-z0-9]+(-[a-z0-9]+)*$/,
        `rule name ${rule.name} must be kebab-case`,
      );
      assert.ok(rule.description.length > 20, `rule ${rule.name} needs a description`);
      assert.equal(
        rule.enforcementLevel,
        "mandatory",
        `rule ${rule.name} must be mandatory by default`,
      );
    }
  });

  it("accepts the example pack config (every rule and setting it names exists, with the right types)", async () => {
    const example = JSON.parse(readFileSync(path.join(packDir, "config.example.json"), "utf8"));
    assert.ok(Object.keys(example).length > 0);
    await runPolicies([], { config: example });
  });

  it("is a Node.js policy pack folder the Pulumi CLI can run", () => {
    const project = parse(readFileSync(path.join(packDir, "PulumiPolicy.yaml"), "utf8"));
    assert.equal(project.runtime, "nodejs");
    // The PolicyPack constructor reads the version from package.json in the pack folder.
    const manifest = JSON.parse(readFileSync(path.join(packDir, "package.json"), "utf8"));
    assert.match(manifest.version, /^\d+\.\d+\.\d+$/);
    assert.equal(
      manifest.dependencies,
      undefined,
      "the pack resolves its dependencies from the project's node_modules",
    );
    const entry = readFileSync(path.join(packDir, manifest.main), "utf8");
    assert.match(entry, /new PolicyPack\("cupping-pipelines", \{[^}]*policies: rules,/s);
  });
});
