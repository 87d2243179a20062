import * as assert from "node:assert/strict";
import { secretCarriedBy, secretWordIn } from "../../policies/secret-detection";

describe("policies: what counts as a secret in an environment variable", () => {
  const names: ReadonlyArray<[string, string | undefined]> = [
    ["PGPASSWORD", "PASSWORD"],
    ["dbPassword", "PASSWORD"],
    ["db-passwd", "PASSWD"],
    ["SIGNING_SECRET", "SECRET"],
    ["githubToken", "TOKEN"],
    ["AWS_SECRET_ACCESS_KEY", "SECRET"],
    ["STRIPE_API_KEY", "API_KEY"],
    ["KEY", "KEY"],
    ["BASIC_AUTH", "AUTH"],
    ["SLACK_WEBHOOK_URL", "WEBHOOK_URL"],
    ["teamsWebhookUrl", "WEBHOOK_URL"],
    ["SENTRY_DSN", "DSN"],
    ["WEBHOOK_EVENTS", undefined],
    ["MONKEY_COUNT", undefined],
    ["KEYBOARD_LAYOUT", undefined],
    ["AUTHOR", undefined],
    ["PGHOST", undefined],
  ];
  for (const [name, word] of names) {
    it(`${name}: ${word ? `suggests a secret by ${word}` : "suggests no secret"}`, () => {
      assert.equal(secretWordIn(name), word);
    });
  }

  it("accepts reference names only when they hold a reference", () => {
    assert.equal(
      secretCarriedBy("DB_PASSWORD_ARN", "arn:aws:secretsmanager:us-east-1:123456789012:secret:db"),
      undefined,
    );
    assert.equal(secretCarriedBy("dbPasswordParameter", "/cupping/dev/db-password"), undefined);
    assert.equal(secretCarriedBy("KMS_KEY_ID", "alias/cupping"), undefined);
    assert.match(
      secretCarriedBy("DB_PASSWORD_ARN", "/cupping/dev/db-password") ?? "",
      /not an ARN/,
    );
    assert.match(
      secretCarriedBy("TOKEN_PARAMETER", "the token is abc") ?? "",
      /not an ARN or a parameter\/secret name/,
    );
  });

  it("judges only the name while the value is unknown during preview", () => {
    assert.equal(secretCarriedBy("DB_SECRET_ARN", undefined), undefined);
    assert.match(
      secretCarriedBy("DB_SECRET", undefined) ?? "",
      /name suggests a secret \(SECRET\)/,
    );
  });

  it("recognizes credentials by their value whatever the name", () => {
    const values: ReadonlyArray<[string, string]> = [
      ["postgres://cupping:hunter2@db.internal:5432/cupping", "a URL with a password in it"],
      ["https://hooks.slack.com/services/T000/B000/XXXX", "a Slack webhook URL"],
      ["github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuv", "a GitHub token"],
      ["AKIAIOSFODNN7EXAMPLE", "an AWS access key id"],
      ["npm_0123456789abcdefghijklmnopqrstuvwxyz", "an npm token"],
      ["-----BEGIN RSA PRIVATE KEY-----\nMII", "a private key"],
    ];
    for (const [value, what] of values)
      assert.equal(secretCarriedBy("SETTING", value), `its value looks like ${what}`);
    assert.equal(secretCarriedBy("SETTING", "postgres://db.internal:5432/cupping"), undefined);
  });
});
