import { strict as assert } from "node:assert";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import {
  githubCommentLimit,
  renderPreviewComment,
} from "../../scripts/github/preview-comment-body";
import { credentialShapes, printedForms, redacted, scrubber } from "../../scripts/github/scrub";
import { stackFileSecrets, stackScrubber } from "../../scripts/github/stack-secrets";
import { stackPassphrase } from "../support/stack-config";
import {
  loadStackConfig,
  projectRoot,
  stackFilePath,
  stackNames,
} from "../../tooling/mocks/stack-config";

/** One made-up credential of each shape, built from parts so the file itself holds none whole. */
const shaped: Record<string, string> = {
  "AWS access key id": ["AKIA", "IOSFODNN7EXAMPLE"].join(""),
  "AWS temporary access key id": ["ASIA", "Y34FZKBOKMUTVV7A"].join(""),
  "GitHub token": ["ghp", "_", "a".repeat(20), "B1c2D3e4F5g6H7i8J9k0"].join(""),
  "GitHub app token": ["ghs", "_", "Z9y8X7w6V5u4T3s2R1q0", "p".repeat(16)].join(""),
  "GitHub fine-grained token": ["github", "_pat_", "11ABCDEFG0", "Qm7".repeat(24)].join(""),
  "Slack webhook URL": ["https://hooks.slack.com/services/", "T0000/B0000/", "Zq9".repeat(8)].join(
    "",
  ),
  "private key": [
    "-----BEGIN ",
    "RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA7Vq\nq1w2e3r4t5y6\n-----END RSA ",
    "PRIVATE KEY-----",
  ].join(""),
  "OpenSSH private key": [
    "-----BEGIN ",
    "OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH ",
    "PRIVATE KEY-----",
  ].join(""),
  "Pulumi access token": ["pul-", "0123456789abcdef".repeat(2), "01234567"].join(""),
};

/** Everything a preview can print that must not reach GitHub, for each stack: its decrypted config secrets and passphrase. */
function stackSecrets(stack: string): string[] {
  const engine = loadStackConfig(stack, { passphrase: stackPassphrase(stack) });
  return [...engine.secretKeys.map((key) => engine.config[key]), stackPassphrase(stack)];
}

/** True when a piece of `secret` at least `length` characters long is in `text`. */
function leaksPart(text: string, secret: string, length = 12): boolean {
  for (let start = 0; start + length <= secret.length; start++)
    if (text.includes(secret.slice(start, start + length))) return true;
  return false;
}

describe("scrubber", () => {
  it("removes every credential shape and keeps the text around it", () => {
    const scrub = scrubber([]);
    for (const [name, credential] of Object.entries(shaped)) {
      const text = `before ${name}: ${credential} after`;
      assert.equal(scrub(text), `before ${name}: ${redacted} after`, name);
      assert.equal(scrub(`glued${credential}`), `glued${redacted}`, `${name} glued to other text`);
    }
    assert.equal(credentialShapes.length, 6, "each shape is fed above");
  });

  it("removes a private key block cut off before its END line, to the end of the text", () => {
    const cut = shaped["private key"].split("\n-----END")[0];
    assert.equal(scrubber([])(`key:\n${cut}`), `key:\n${redacted}`);
  });

  it("leaves ordinary preview text alone, including words that merely start like a credential", () => {
    const text =
      "+ aws:iam/role:Role deploy-role create\nAKIA is a prefix; ghp_ alone is not a token; pul-12 neither\nResources:\n    + 3 to create";
    assert.equal(scrubber(["a-secret-value"])(text), text);
  });

  it("removes a known secret as is, in base64 with or without padding, base64url, URL- and JSON-escaped", () => {
    const secret = 'p@ss/w+rd"with?odd=chars';
    const scrub = scrubber([secret]);
    for (const form of printedForms(secret))
      assert.equal(scrub(`x ${form} y`), `x ${redacted} y`, form);
    assert.ok(printedForms(secret).includes(Buffer.from(secret).toString("base64")));
  });

  it("removes a secret that contains another secret whole", () => {
    assert.equal(scrubber(["secret", "secret-and-more"])("a secret-and-more b"), `a ${redacted} b`);
  });
});

describe("stack secrets", () => {
  for (const stack of stackNames) {
    it(`of ${stack}: a preview that prints every secret value, in base64, and every credential shape posts none of them`, () => {
      const secrets = stackSecrets(stack);
      assert.ok(secrets.length >= 3, `${stack} has secrets to feed`);
      const env = {
        PULUMI_CONFIG_PASSPHRASE: stackPassphrase(stack),
        GITHUB_TOKEN: "ghs_envtokenvalue123",
        PULUMI_ACCESS_TOKEN: "env-pulumi-token-value",
      };
      const printed = [
        ...secrets.flatMap((secret, i) => [
          `secret ${i}: ${secret}`,
          `base64 ${i}: ${Buffer.from(secret).toString("base64")}`,
          `coloured ${i}: \x1b[31m${secret}\x1b[0m`,
        ]),
        ...Object.values(env).map((value) => `env: ${value}`),
        ...Object.entries(shaped).map(([name, value]) => `${name}: ${value}`),
        "Resources:",
        "    + 3 to create",
      ].join("\n");
      const body = renderPreviewComment({
        stack,
        output: printed,
        status: "succeeded",
        scrub: stackScrubber({ stack, env, root: projectRoot }),
      });
      for (const secret of [...secrets, ...Object.values(env), ...Object.values(shaped)])
        assert.ok(!leaksPart(body, secret), `a piece of ${secret} survived in:\n${body}`);
      assert.match(
        body,
        /secret 0: \[redacted\]\nbase64 0: \[redacted\]\ncoloured 0: \[redacted\]/,
      );
      assert.match(body, /Resources:\n {4}\+ 3 to create/, "the rest of the output survives");
    });
  }

  it("are scrubbed by default: a caller that passes no scrubber cannot post them", () => {
    const [stack] = stackNames;
    const secrets = stackSecrets(stack);
    const saved = process.env.PULUMI_CONFIG_PASSPHRASE;
    const cwd = process.cwd();
    process.env.PULUMI_CONFIG_PASSPHRASE = stackPassphrase(stack);
    process.chdir(projectRoot);
    try {
      const body = renderPreviewComment({
        stack,
        output: secrets.join("\n") + `\n${shaped["GitHub token"]}\nkept line`,
      });
      for (const secret of [...secrets, shaped["GitHub token"]])
        assert.ok(!leaksPart(body, secret), body);
      assert.match(body, /kept line/);
    } finally {
      if (saved === undefined) delete process.env.PULUMI_CONFIG_PASSPHRASE;
      else process.env.PULUMI_CONFIG_PASSPHRASE = saved;
      process.chdir(cwd);
    }
  });

  it("that straddle the comment limit's cut survive in no part", () => {
    const [stack] = stackNames;
    const secrets = stackSecrets(stack);
    const scrub = stackScrubber({
      stack,
      env: { PULUMI_CONFIG_PASSPHRASE: stackPassphrase(stack) },
      root: projectRoot,
    });
    // One huge line ending and starting with secrets, so the cut falls inside the secrets if they were still there.
    const filler = "x".repeat(githubCommentLimit / 2);
    for (const secret of [...secrets, shaped["private key"], shaped["GitHub fine-grained token"]]) {
      const output = `${filler}${secret}${filler}${secret}\n${secret}${"y".repeat(githubCommentLimit)}\nend`;
      const body = renderPreviewComment({ stack, output, scrub });
      assert.ok(body.length <= githubCommentLimit);
      assert.ok(!leaksPart(body, secret), "a piece of the secret survived the cut");
    }
  });

  it("refuse a wrong passphrase rather than post what they could not decrypt", () => {
    assert.throws(
      () =>
        stackScrubber({
          stack: "dev",
          env: { PULUMI_CONFIG_PASSPHRASE: "wrong" },
          root: projectRoot,
        }),
      /incorrect passphrase: it does not decrypt Pulumi\.dev\.yaml/,
    );
  });

  it("are the passphrase alone for a stack file that is not there, and nothing without a passphrase", () => {
    const empty = mkdtempSync(path.join(tmpdir(), "scrub-"));
    assert.deepEqual(
      stackFileSecrets(path.join(empty, "Pulumi.review-pr-7.yaml"), "some-passphrase"),
      ["some-passphrase"],
    );
    assert.deepEqual(stackFileSecrets(stackFilePath("dev"), undefined), []);
    const noSalt = path.join(empty, "Pulumi.broken.yaml");
    writeFileSync(noSalt, "config:\n  pipelines:token:\n    secure: v1:AAAA:BBBB\n");
    assert.throws(
      () => stackFileSecrets(noSalt, "p"),
      /Pulumi\.broken\.yaml holds secure values but no encryptionsalt/,
    );
  });
});
