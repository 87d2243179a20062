import { strict as assert } from "node:assert";
import { readFileSync } from "node:fs";
import { parse } from "yaml";
import { PassphraseCrypter } from "../../stacks/passphrase";
import { changePassphrase, setSecret } from "../../scripts/secret";
import { stackPassphrase } from "../support/stack-config";
import { stackFilePath } from "../../tooling/mocks/stack-config";

type StackFile = { encryptionsalt: string; config: Record<string, { secure: string } | string> };
const decryptIn = (file: StackFile, passphrase: string, key: string) =>
  PassphraseCrypter.fromSalt(passphrase, file.encryptionsalt).decrypt(
    (file.config[key] as { secure: string }).secure,
  );

describe("npm run secret", () => {
  it("creates the salt first in a new stack file and stores the value encrypted under the project namespace", () => {
    const text = setSecret(
      "config:\n  pipelines:branch: staging\n",
      "slackWebhookUrl",
      "https://hooks.slack.com/services/T/B/x",
      "staging pass",
    );
    assert.match(text, /^encryptionsalt: v1:/, "the salt comes first, as the CLI writes it");
    assert.ok(!text.includes("hooks.slack.com"), "no plaintext in the file");
    const file = parse(text) as StackFile;
    assert.equal(file.config["pipelines:branch"], "staging", "other keys are kept");
    assert.equal(
      decryptIn(file, "staging pass", "pipelines:slackWebhookUrl"),
      "https://hooks.slack.com/services/T/B/x",
    );
  });

  it("adds to an existing stack under its own salt, keeping provider namespaces", () => {
    const passphrase = stackPassphrase("dev");
    const original = readFileSync(stackFilePath("dev"), "utf8");
    const text = setSecret(original, "github:token", "ghp_rotated", passphrase, "Pulumi.dev.yaml");
    const before = parse(original) as StackFile;
    const after = parse(text) as StackFile;
    assert.equal(after.encryptionsalt, before.encryptionsalt);
    assert.equal(decryptIn(after, passphrase, "github:token"), "ghp_rotated");
    assert.equal(
      decryptIn(after, passphrase, "pipelines:slackWebhookUrl"),
      decryptIn(before, passphrase, "pipelines:slackWebhookUrl"),
    );
  });

  it("refuses a wrong passphrase and an empty value", () => {
    const passphrase = stackPassphrase("dev");
    const original = readFileSync(stackFilePath("dev"), "utf8");
    assert.throws(
      () => setSecret(original, "webhookSecret", "x", "wrong", "Pulumi.dev.yaml"),
      /incorrect passphrase: it does not decrypt Pulumi\.dev\.yaml/,
    );
    assert.throws(
      () => setSecret(original, "webhookSecret", "", passphrase),
      /refusing to store an empty secret/,
    );
  });

  it("refuses a key the program does not know, suggesting the one meant, and a stack file that is not YAML", () => {
    const original = readFileSync(stackFilePath("dev"), "utf8");
    assert.throws(
      () => setSecret(original, "slackWebhook", "https://hooks.slack.com/services/T/B/x", "unused"),
      /^Error: pipelines:slackWebhook: unknown key; did you mean pipelines:slackWebhookUrl\?/,
    );
    assert.throws(
      () =>
        setSecret(
          "config:\n  pipelines:branch: [main\n",
          "webhookSecret",
          "x",
          "unused",
          "Pulumi.next.yaml",
        ),
      /^Error: Pulumi\.next\.yaml: /,
    );
  });

  it("re-encrypts every secure value under a new passphrase", () => {
    const passphrase = stackPassphrase("production");
    const original = readFileSync(stackFilePath("production"), "utf8");
    const text = changePassphrase(
      original,
      passphrase,
      "a much better passphrase",
      "Pulumi.production.yaml",
    );
    const before = parse(original) as StackFile;
    const after = parse(text) as StackFile;
    assert.notEqual(after.encryptionsalt, before.encryptionsalt);
    const secureKeys = Object.keys(before.config).filter(
      (k) => typeof (before.config[k] as { secure?: string }).secure === "string",
    );
    assert.ok(secureKeys.length >= 3);
    for (const key of secureKeys.filter((k) => k !== "pipelines:pulumiConfigPassphrase")) {
      assert.equal(
        decryptIn(after, "a much better passphrase", key),
        decryptIn(before, passphrase, key),
        key,
      );
    }
    assert.equal(
      decryptIn(after, "a much better passphrase", "pipelines:pulumiConfigPassphrase"),
      "a much better passphrase",
      "the stack's own passphrase follows the change",
    );
    assert.throws(
      () => PassphraseCrypter.fromSalt(passphrase, after.encryptionsalt),
      /incorrect passphrase/,
    );
  });
});
