import { strict as assert } from "node:assert";
import { main } from "../../scripts/review-deploy";
import { smokeTest } from "../../scripts/review/deploy";
import type { ReviewContext } from "../../scripts/review/review-context";
import { startGitHubServer, type GitHubServer } from "../support/github-server";
import { startLambdaServer, type LambdaServer } from "../support/lambda-server";
import { pulumiStandIn, type PulumiStandIn } from "../support/pulumi-stand-in";
import { startRecordingServer, type RecordingServer } from "../support/slack-server";
import { standInContext } from "./stand-in-context";

describe("review-deploy (stand-in pulumi, GitHub and the review API on 127.0.0.1)", () => {
  let pulumi: PulumiStandIn;
  let github: GitHubServer;
  let api: RecordingServer;
  let apiStatus: number;
  let lambda: LambdaServer;
  /** What the review stack's migrate function does when invoked: its answer, or throws as a failed migration. */
  let migrator: () => unknown;
  const migrateFunction = "review-pr-12-cupping-migrate-function-1a2b3c";
  let context: ReviewContext;
  let env: NodeJS.ProcessEnv;
  const args = [
    "--base-stack",
    "dev",
    "--repository",
    "acme-coffee/cupping-service",
    "--max-stacks",
    "2",
  ];
  const quickSmokeTest = (url: string) => smokeTest(url, 2, 0);

  beforeEach(async () => {
    apiStatus = 200;
    api = await startRecordingServer(() => ({
      status: apiStatus,
      headers: { "Content-Type": "application/json" },
      body: "[]",
    }));
    migrator = () => ["0003-add-roast-level"];
    lambda = await startLambdaServer(() => migrator());
    pulumi = await pulumiStandIn({
      stacks: [{ name: "dev" }, { name: "pr-3" }],
      outputs: {
        "pr-12": {
          apiUrl: `${api.origin}/`,
          functionNames: {
            api: "review-pr-12-cupping-api-function-1a2b3c",
            migrate: migrateFunction,
          },
        },
      },
    });
    github = await startGitHubServer({
      token: "gh-token",
      repository: "acme-coffee/cupping-service",
    });
    github.setPullRequest(12, "open");
    context = standInContext({
      pulumiCommand: pulumi.command,
      lambdaOrigin: lambda.origin,
      taggingOrigin: "http://127.0.0.1:9",
      leftoverAttempts: 1,
    });
    env = {
      GITHUB_TOKEN: "gh-token",
      GITHUB_API_URL: github.apiUrl,
      CODEBUILD_WEBHOOK_TRIGGER: "pr/12",
      CODEBUILD_RESOLVED_SOURCE_VERSION: "0123456789abcdef0123",
    };
  });
  afterEach(async () => {
    context.lambda.destroy();
    context.tagging.destroy();
    await Promise.all([github.close(), api.close(), lambda.close(), pulumi.close()]);
  });

  it("creates the stack from dev's config, sets its review keys, deploys, applies the pull request's migrations with its own migrate function, smoke-tests the review URL and comments it", async () => {
    const result = await main(args, env, context, quickSmokeTest);
    assert.equal(result.exitCode, 0, result.text);
    assert.deepEqual(
      pulumi.calls().filter((c) => !c.startsWith("stack ls")),
      [
        "stack init pr-12 --copy-config-from dev --non-interactive",
        "config set pipelines:reviewOf dev --stack pr-12 --non-interactive",
        'config set --path aws:defaultTags.tags["pipelines:review-stack"] pr-12 --stack pr-12 --non-interactive',
        'config set --path aws:defaultTags.tags["pipelines:scope"] pipelines-pr-12 --stack pr-12 --non-interactive',
        "config set --path pulumi:autonaming.pattern review-${stack}-${name}-${hex(6)} --stack pr-12 --non-interactive",
        "up --stack pr-12 --yes --non-interactive --skip-preview",
        "stack output functionNames --stack pr-12 --json --non-interactive",
        "stack output apiUrl --stack pr-12 --json --non-interactive",
      ],
    );
    // Its own migrator, never dev's (which signs in as the master user), with a deploy's event.
    assert.deepEqual(lambda.invocations, [
      { functionName: migrateFunction, payload: { source: "review-deploy" } },
    ]);
    assert.deepEqual(
      api.requests.map((r) => `${r.method} ${r.path}`),
      ["GET /session"],
    );
    const [comment] = github.comments(12);
    assert.match(
      comment.body,
      /^<!-- pipelines-preview:pr-12 -->\n### 🔎 Review stack `pr-12` is up \(commit `0123456789ab`\)/,
    );
    assert.ok(comment.body.includes(`Review URL: ${api.origin}/`));
    assert.ok(comment.body.includes("Migrations applied to its database: `0003-add-roast-level`."));
  });

  it("fails the build with the migrator's error when a migration fails, before the smoke test", async () => {
    migrator = () => {
      throw new Error(
        "Migration 0003-add-roast-level failed, and was rolled back: permission denied to create role",
      );
    };
    const result = await main(args, env, context, quickSmokeTest);
    assert.equal(result.exitCode, 1);
    assert.match(
      result.text,
      /failed at migrations: review-pr-12-cupping-migrate-function-1a2b3c could not migrate database review_pr_12: .*Migration 0003-add-roast-level failed, and was rolled back: permission denied to create role/,
    );
    assert.match(
      github.comments(12)[0].body,
      /failed at migrations[\s\S]*permission denied to create role/,
    );
    assert.deepEqual(api.requests, [], "no smoke test against a half-migrated database");
  });

  it("fails the build when the stack names no migrate function", async () => {
    pulumi.set({ outputs: { "pr-12": { apiUrl: `${api.origin}/` } } });
    const result = await main(args, env, context, quickSmokeTest);
    assert.equal(result.exitCode, 1);
    assert.match(
      result.text,
      /failed at migrations: stack pr-12 has no functionNames\.migrate output/,
    );
    assert.deepEqual(lambda.invocations, []);
  });

  it("updates the same comment on the next push, and does not init an existing stack again", async () => {
    await main(args, env, context, quickSmokeTest);
    await main(args, env, context, quickSmokeTest);
    assert.equal(pulumi.calls().filter((c) => c.startsWith("stack init")).length, 1);
    assert.equal(pulumi.calls().filter((c) => c.startsWith("up ")).length, 2);
    assert.equal(github.comments(12).length, 1);
  });

  it("cap reached: comments that the cap is full and passes, deploying nothing; an existing stack still updates", async () => {
    pulumi.set({ stacks: [{ name: "dev" }, { name: "pr-3" }, { name: "pr-4" }] });
    const capped = await main(args, env, context, quickSmokeTest);
    assert.equal(capped.exitCode, 0, capped.text);
    assert.match(
      github.comments(12)[0].body,
      /2 review stacks exist already \(pr-3, pr-4\), the most `pipelines:maxReviewStacks` allows/,
    );
    assert.ok(!pulumi.calls().some((c) => /^(stack init|up )/.test(c)));
    pulumi.set({ stacks: [{ name: "dev" }, { name: "pr-3" }, { name: "pr-12" }] });
    assert.equal((await main(args, env, context, quickSmokeTest)).exitCode, 0);
    assert.ok(pulumi.calls().some((c) => c.startsWith("up --stack pr-12")));
  });

  it("a build queued behind the close does not bring the stack back", async () => {
    github.setPullRequest(12, "closed");
    const result = await main(args, env, context, quickSmokeTest);
    assert.equal(result.exitCode, 0);
    assert.deepEqual(pulumi.calls(), []);
    assert.match(github.comments(12)[0].body, /was not deployed: the pull request is closed/);
  });

  it("waits for the stack's lock (a push during a deploy), then deploys", async () => {
    pulumi.set({ lockedRuns: 1 });
    const result = await main(args, env, context, quickSmokeTest);
    assert.equal(result.exitCode, 0, result.text);
    assert.equal(pulumi.calls().filter((c) => c.startsWith("up ")).length, 2);
  });

  it("fails the build, saying where, when the review URL does not answer", async () => {
    apiStatus = 502;
    const result = await main(args, env, context, quickSmokeTest);
    assert.equal(result.exitCode, 1);
    assert.match(
      github.comments(12)[0].body,
      /failed at smoke test[\s\S]*GET http:\/\/127\.0\.0\.1:\d+\/session answered 502/,
    );
    assert.equal(api.requests.length, 2, "tried again before failing");
  });

  it("refuses bad input before touching anything", async () => {
    await assert.rejects(
      main([...args.slice(0, 4), "--max-stacks", "0"], env, context),
      /--max-stacks must be a whole number from 1/,
    );
    await assert.rejects(
      main(args, { ...env, CODEBUILD_WEBHOOK_TRIGGER: "pr/twelve" }, context),
      /must be a pull-request number/,
    );
    assert.deepEqual(pulumi.calls(), []);
  });
});
