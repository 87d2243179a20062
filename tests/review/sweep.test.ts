import { strict as assert } from "node:assert";
import { main } from "../../scripts/review-sweep";
import type { ReviewContext } from "../../scripts/review/review-context";
import { startGitHubServer, type GitHubServer } from "../support/github-server";
import { startLambdaServer, type LambdaServer } from "../support/lambda-server";
import { pulumiStandIn, type PulumiStandIn } from "../support/pulumi-stand-in";
import { startTaggingServer, type TaggingServer } from "../support/tagging-server";
import { standInContext } from "./stand-in-context";

const now = Date.UTC(2026, 11, 4, 12);
const hoursAgo = (hours: number) => new Date(now - hours * 3_600_000).toISOString();
const tagged = (arn: string, stack: string) => ({ arn, tags: { "pipelines:review-stack": stack } });

describe("review-sweep (stand-in pulumi, GitHub, Tagging and Lambda APIs on 127.0.0.1)", () => {
  let pulumi: PulumiStandIn;
  let github: GitHubServer;
  let tagging: TaggingServer;
  let lambda: LambdaServer;
  let context: ReviewContext;
  let env: NodeJS.ProcessEnv;
  const args = [
    "--base-stack",
    "dev",
    "--repository",
    "acme-coffee/cupping-service",
    "--ttl-hours",
    "72",
  ];

  beforeEach(async () => {
    pulumi = await pulumiStandIn({
      stacks: [
        { name: "dev", lastUpdate: hoursAgo(500) },
        { name: "production", lastUpdate: hoursAgo(900) },
        { name: "pr-1", lastUpdate: hoursAgo(2) },
        { name: "pr-2", lastUpdate: hoursAgo(3) },
        { name: "pr-3", lastUpdate: hoursAgo(73) },
        { name: "pr-4", lastUpdate: hoursAgo(1), updateInProgress: true },
      ],
      outputs: { dev: { functionNames: { api: "api-1", migrate: "migrate-1" } } },
    });
    github = await startGitHubServer({
      token: "gh-token",
      repository: "acme-coffee/cupping-service",
    });
    github.setPullRequest(1, "open");
    github.setPullRequest(2, "closed"); // closed while conflicted: no event ever reached the teardown build
    github.setPullRequest(3, "open");
    github.setPullRequest(4, "closed");
    github.setPullRequest(9, "closed");
    tagging = await startTaggingServer();
    lambda = await startLambdaServer(() => ({ dropped: true }));
    context = standInContext({
      pulumiCommand: pulumi.command,
      lambdaOrigin: lambda.origin,
      taggingOrigin: tagging.origin,
      leftoverAttempts: 1,
    });
    env = { GITHUB_TOKEN: "gh-token", GITHUB_API_URL: github.apiUrl };
  });
  afterEach(async () => {
    context.lambda.destroy();
    context.tagging.destroy();
    await Promise.all([github.close(), tagging.close(), lambda.close(), pulumi.close()]);
  });

  it("removes the closed pull request's stack and the expired one, leaves open, fresh and deploying ones, never a real stack", async () => {
    const result = await main(args, env, context, now);
    assert.equal(result.exitCode, 0, result.text);
    assert.equal(
      result.text,
      [
        "Sweep: removed 2, could not remove 0.",
        "- removed pr-2 (pull request closed)",
        "- removed pr-3 (past its TTL)",
      ].join("\n"),
    );
    const destroyed = pulumi
      .calls()
      .filter((c) => c.startsWith("destroy"))
      .map((c) => c.split(" ")[2]);
    assert.deepEqual(destroyed, ["pr-2", "pr-3"]);
    assert.deepEqual(
      pulumi.state().stacks.map((s) => s.name),
      ["dev", "production", "pr-1", "pr-4"],
    );
  });

  it("retries what an earlier teardown left (tagged resources, no stack), and reports what it could not remove", async () => {
    tagging.resources = [
      tagged("arn:aws:logs:us-east-1:1:log-group:pr-9", "pr-9"),
      tagged("arn:aws:lambda:us-east-1:1:function:dev-api", "dev"),
    ];
    const result = await main(args, env, context, now);
    assert.equal(result.exitCode, 1);
    assert.match(result.text, /^Sweep: removed 2, could not remove 1\./);
    assert.match(
      result.text,
      /- could not remove pr-9: 1 resource\(s\) still tagged: arn:aws:logs:us-east-1:1:log-group:pr-9/,
    );
    assert.deepEqual(
      lambda.invocations.map((i) => (i.payload as { database: string }).database),
      ["review_pr_2", "review_pr_3", "review_pr_9"],
    );
  });

  it("refuses a TTL of 0 and a missing GitHub token before touching anything", async () => {
    await assert.rejects(
      main(
        ["--base-stack", "dev", "--repository", "acme-coffee/cupping-service", "--ttl-hours", "0"],
        env,
        context,
        now,
      ),
      /--ttl-hours must be a whole number of hours from 1/,
    );
    await assert.rejects(main(args, {}, context, now), /GITHUB_TOKEN is not set/);
    assert.deepEqual(pulumi.calls(), []);
  });
});
