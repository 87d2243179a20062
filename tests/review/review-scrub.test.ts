import { strict as assert } from "node:assert";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { stringify } from "yaml";
import { redacted } from "../../scripts/github/scrub";
import { main as deploy } from "../../scripts/review-deploy";
import { main as teardown } from "../../scripts/review-teardown";
import type { ReviewContext } from "../../scripts/review/review-context";
import { PassphraseCrypter } from "../../stacks/passphrase";
import { startGitHubServer, type GitHubServer } from "../support/github-server";
import { pulumiStandIn, type PulumiStandIn } from "../support/pulumi-stand-in";
import { standInContext } from "./stand-in-context";

// A review build's failure output reaches the pull request: a failed `pulumi up` (deploy) or what a teardown could not
// remove. The attack is an accident that prints the stack's secrets or the build's tokens; none may reach the comment
// or the build log, whichever of the stack's secrets or the environment's tokens it is.

const passphrase = "correct horse battery staple";
const configSecrets = {
  "pipelines:slackWebhookUrl": "https://chat.example.test/hook/T000/B000/abcdefghijkl",
  "pipelines:databasePassword": "dev-database-password-9f8e7d",
};
const environment = {
  GITHUB_TOKEN: "gh-token-for-the-review-build-0123",
  PULUMI_ACCESS_TOKEN: "pulumi-token-for-the-state-backend-4567",
  AWS_SECRET_ACCESS_KEY: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
  PULUMI_CONFIG_PASSPHRASE: passphrase,
};
const secrets = [...Object.values(configSecrets), ...Object.values(environment)];

/** A checkout whose dev stack file holds the secrets encrypted, as `pulumi config set --secret` writes them. */
function projectWithSecrets(): string {
  const project = mkdtempSync(path.join(tmpdir(), "review-scrub-project-"));
  const crypter = PassphraseCrypter.create(passphrase);
  const config = Object.fromEntries(
    Object.entries(configSecrets).map(([key, value]) => [key, { secure: crypter.encrypt(value) }]),
  );
  writeFileSync(
    path.join(project, "Pulumi.dev.yaml"),
    stringify({ encryptionsalt: crypter.encryptionSalt, config }),
  );
  writeFileSync(path.join(project, "Pulumi.production.yaml"), "config: {}\n");
  return project;
}

/** The output of a failed run that prints every secret, once as is and once in base64. */
const leakingOutput = [
  `error: update failed: connecting with ${secrets.slice(0, 3).join(" and ")}`,
  `    token=${secrets.slice(3).join(" key=")}`,
  `    encoded: ${Buffer.from(configSecrets["pipelines:databasePassword"]).toString("base64")}`,
  "",
].join("\n");

const leaked = (text: string) => secrets.filter((secret) => text.includes(secret));

describe("review builds scrub their comments and logs (stand-in pulumi, GitHub on 127.0.0.1)", () => {
  let pulumi: PulumiStandIn;
  let github: GitHubServer;
  let context: ReviewContext;
  const env = {
    ...environment,
    GITHUB_API_URL: "",
    CODEBUILD_WEBHOOK_TRIGGER: "pr/12",
  };

  /** Written once: encrypting its secrets derives the passphrase's key, a million PBKDF2 rounds. */
  let project: string;
  before(() => {
    project = projectWithSecrets();
  });

  beforeEach(async () => {
    pulumi = await pulumiStandIn({
      stacks: [{ name: "dev" }, { name: "pr-12", resourceCount: 12 }],
      failureOutput: leakingOutput,
    });
    github = await startGitHubServer({
      token: environment.GITHUB_TOKEN,
      repository: "acme-coffee/cupping-service",
    });
    github.setPullRequest(12, "open");
    env.GITHUB_API_URL = github.apiUrl;
    context = {
      ...standInContext({
        pulumiCommand: pulumi.command,
        lambdaOrigin: "http://127.0.0.1:9",
        taggingOrigin: "http://127.0.0.1:9",
        leftoverAttempts: 1,
      }),
      projectDirectory: project,
    };
  });
  afterEach(async () => {
    context.lambda.destroy();
    context.tagging.destroy();
    await Promise.all([github.close(), pulumi.close()]);
  });

  it("a failed deploy: the comment and the log show the failure, not one of the secrets", async () => {
    pulumi.set({ upStatus: 255 });
    const result = await deploy(
      ["--base-stack", "dev", "--repository", "acme-coffee/cupping-service", "--max-stacks", "5"],
      env,
      context,
    );
    assert.equal(result.exitCode, 1);
    const [comment] = github.comments(12);
    assert.match(comment.body, /Review stack `pr-12` failed at pulumi up/);
    assert.match(comment.body, /error: update failed: connecting with/);
    assert.ok(comment.body.includes(redacted), comment.body);
    assert.deepEqual(leaked(comment.body), []);
    assert.ok(
      !comment.body.includes(
        Buffer.from(configSecrets["pipelines:databasePassword"]).toString("base64"),
      ),
      "nor in base64",
    );
    assert.deepEqual(leaked(result.text), []);
  });

  it("a teardown that fails: its report replaces the review comment, scrubbed, and the log is scrubbed too", async () => {
    pulumi.set({ destroyStatus: 255 });
    const result = await teardown(
      ["--base-stack", "dev", "--repository", "acme-coffee/cupping-service"],
      env,
      context,
    );
    assert.equal(result.exitCode, 1);
    const [comment] = github.comments(12);
    assert.match(comment.body, /Review stack pr-12 was NOT removed cleanly/);
    assert.match(comment.body, /failed: pulumi destroy exited 255: .*error: update failed/);
    assert.ok(comment.body.includes(redacted), comment.body);
    assert.deepEqual(leaked(comment.body), []);
    assert.deepEqual(leaked(result.text), []);
  });

  it("is not vacuous: the failure output the stand-in prints holds every secret", async () => {
    pulumi.set({ upStatus: 255 });
    const run = await context.pulumi.run(["up", "--stack", "pr-12"]);
    assert.deepEqual(leaked(run.stderr), secrets);
  });
});
