import { strict as assert } from "node:assert";
import { readFileSync } from "node:fs";
import { parse } from "yaml";
import { optionalSecretKeys, projectKeys, providerKeys } from "../../stacks/keys";
import { stackPassphrase } from "../support/stack-config";
import {
  loadStackConfig,
  projectRoot,
  readProjectFile,
  stackNames,
} from "../../tooling/mocks/stack-config";

describe("Pulumi.yaml", () => {
  const project = readProjectFile();

  it("names the project pipelines", () => assert.equal(project.name, "pipelines"));

  it("declares every project key the settings read, with the same type, a description and a default of that type", () => {
    for (const [key, declared] of Object.entries(projectKeys)) {
      const inFile = project.config[key];
      assert.ok(inFile, `Pulumi.yaml does not declare ${key}`);
      assert.equal(inFile.type, declared.type, `type of ${key}`);
      if (inFile.default !== undefined)
        assert.equal(
          Array.isArray(inFile.default) ? "array" : typeof inFile.default,
          { string: "string", integer: "number", boolean: "boolean", array: "array" }[
            declared.type
          ],
          `default of ${key}`,
        );
      assert.ok((inFile as { description?: string }).description, `${key} has no description`);
    }
    const known = new Set([...Object.keys(projectKeys), ...Object.keys(providerKeys)]);
    assert.deepEqual(
      Object.keys(project.config).filter((k) => !known.has(k)),
      [],
      "Pulumi.yaml declares keys the program does not read",
    );
  });

  it("declares the provider keys, the GitHub token as a secret", () => {
    for (const [key, declared] of Object.entries(providerKeys)) {
      assert.equal(project.config[key]?.type, declared.type, key);
      assert.equal(
        Boolean(project.config[key]?.secret),
        Boolean((declared as { secret?: boolean }).secret),
        `secret flag of ${key}`,
      );
    }
  });
});

describe("stack files", () => {
  it("exist for dev and production", () => {
    assert.ok(
      stackNames.includes("dev") && stackNames.includes("production"),
      stackNames.join(", "),
    );
  });

  for (const stack of stackNames) {
    describe(`Pulumi.${stack}.yaml`, () => {
      const file = parse(readFileSync(`${projectRoot}/Pulumi.${stack}.yaml`, "utf8")) as {
        encryptionsalt?: string;
        config: Record<string, unknown>;
      };
      const secretKeys = ["github:token", ...optionalSecretKeys.map((k) => `pipelines:${k}`)];

      it("holds every secret key encrypted, never in plaintext", () => {
        for (const key of secretKeys) {
          if (!(key in file.config)) continue;
          const value = file.config[key] as { secure?: unknown };
          assert.equal(typeof value?.secure, "string", `${key} is not a secure value`);
          assert.match(
            value.secure as string,
            /^v1:[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+$/,
            `${key} is not in the passphrase provider's format`,
          );
        }
        assert.match(file.encryptionsalt ?? "", /^v1:[A-Za-z0-9+/=]+:v1:/, "no encryptionsalt");
      });

      it("decrypts with its passphrase, every secure value", () => {
        const engine = loadStackConfig(stack, { passphrase: stackPassphrase(stack) });
        assert.ok(engine.secretKeys.length >= 3, "the sample stack holds its secrets");
        for (const key of engine.secretKeys) assert.ok(engine.config[key].length > 0, key);
      });

      it("refuses a wrong passphrase with a clear error", () => {
        assert.throws(
          () => loadStackConfig(stack, { passphrase: "wrong" }),
          new RegExp(
            `incorrect passphrase: it does not decrypt Pulumi\\.${stack}\\.yaml.*PULUMI_CONFIG_PASSPHRASE`,
          ),
        );
      });
    });
  }
});

describe("the CLI's config rules, as the harness applies them", () => {
  it("fails on a missing required key as the CLI does", () => {
    assert.throws(
      () => loadStackConfig("dev", { edit: { "pipelines:branch": undefined } }),
      /Stack 'dev' is missing configuration value 'branch'/,
    );
  });
  it("fails on a declared secret in plaintext", () => {
    assert.throws(
      () => loadStackConfig("dev", { edit: { "github:token": "ghp_plain" } }),
      /configuration key 'github:token' must be encrypted as it's secret/,
    );
  });
  it("fails on a value of the wrong declared type", () => {
    assert.throws(
      () => loadStackConfig("dev", { edit: { "pipelines:stages": "test" } }),
      /configuration key 'pipelines:stages' must be of type 'array<string>' \(got "test"\)/,
    );
  });
  it("names the file and the place of a YAML error", () => {
    assert.throws(
      () => loadStackConfig("dev", { stackFileText: "config:\n  pipelines:branch: [main\n" }),
      /^Error: Pulumi\.dev\.yaml: .*line 3/s,
    );
    assert.throws(
      () =>
        loadStackConfig("dev", {
          stackFileText: "config: {\n",
          stackFileName: "/tmp/Pulumi.next.yaml",
        }),
      /^Error: \/tmp\/Pulumi\.next\.yaml: /,
    );
  });
  it("applies Pulumi.yaml's defaults and passes lists as JSON", () => {
    const engine = loadStackConfig("production");
    assert.equal(engine.config["pipelines:dbMultiAz"], "true");
    assert.equal(
      engine.config["pipelines:stages"],
      JSON.stringify(["test", "approval", "deploy", "publish"]),
    );
  });
});
