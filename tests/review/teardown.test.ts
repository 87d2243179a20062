import { strict as assert } from "node:assert";
import { writeFileSync } from "node:fs";
import * as path from "node:path";
import { main } from "../../scripts/review-teardown";
import type { ReviewContext } from "../../scripts/review/review-context";
import { startLambdaServer, type LambdaServer } from "../support/lambda-server";
import { pulumiStandIn, type PulumiStandIn } from "../support/pulumi-stand-in";
import { startTaggingServer, type TaggingServer } from "../support/tagging-server";
import { standInContext } from "./stand-in-context";

const tagged = (arn: string, stack = "pr-12") => ({
  arn,
  tags: { "pipelines:review-stack": stack },
});

describe("review-teardown (stand-in pulumi, Tagging and Lambda APIs on 127.0.0.1)", () => {
  let pulumi: PulumiStandIn;
  let tagging: TaggingServer;
  let lambda: LambdaServer;
  let context: ReviewContext;
  let project: string;
  let dropFails: string | undefined;

  beforeEach(async () => {
    dropFails = undefined;
    pulumi = await pulumiStandIn({
      stacks: [{ name: "dev" }, { name: "pr-12", resourceCount: 14 }],
      outputs: {
        dev: { functionNames: { api: "cupping-api-1a2b", migrate: "cupping-migrate-3c4d" } },
      },
    });
    tagging = await startTaggingServer(2);
    lambda = await startLambdaServer(() => {
      if (dropFails) throw new Error(dropFails);
      return { dropped: true };
    });
    context = standInContext({
      pulumiCommand: pulumi.command,
      lambdaOrigin: lambda.origin,
      taggingOrigin: tagging.origin,
      leftoverAttempts: 2,
    });
    project = context.projectDirectory;
  });
  afterEach(async () => {
    context.lambda.destroy();
    context.tagging.destroy();
    await Promise.all([tagging.close(), lambda.close(), pulumi.close()]);
  });

  it("destroys, drops the database and role through the base stack's migrate function, removes the stack, finds nothing left: exit 0", async () => {
    tagging.resources = [tagged("arn:aws:lambda:us-east-1:1:function:dev-api", "dev")];
    const result = await main(
      ["--base-stack", "dev"],
      { CODEBUILD_WEBHOOK_TRIGGER: "pr/12" },
      context,
    );
    assert.equal(result.exitCode, 0, result.text);
    assert.match(result.text, /^Review stack pr-12 is gone: nothing tagged with it remains\./);
    const calls = pulumi.calls();
    assert.deepEqual(
      calls.filter((c) => /^(destroy|stack rm)/.test(c)),
      [
        "destroy --stack pr-12 --yes --non-interactive --skip-preview",
        "stack rm pr-12 --yes --non-interactive",
      ],
    );
    assert.ok(
      calls.indexOf("stack output functionNames --stack dev --json --non-interactive") <
        calls.indexOf("stack rm pr-12 --yes --non-interactive"),
    );
    assert.deepEqual(lambda.invocations, [
      {
        functionName: "cupping-migrate-3c4d",
        payload: { action: "dropReviewDatabase", database: "review_pr_12", role: "review_pr_12" },
      },
    ]);
    assert.deepEqual(
      pulumi.state().stacks.map((s) => s.name),
      ["dev"],
    );
    assert.deepEqual(tagging.calls[0].TagFilters, [
      { Key: "pipelines:review-stack", Values: ["pr-12"] },
    ]);
  });

  it("reports every leftover across pages and exits non-zero, though destroy succeeded", async () => {
    const arns = [
      "arn:aws:logs:us-east-1:1:log-group:/aws/lambda/pr-12-api",
      "arn:aws:ec2:us-east-1:1:security-group/sg-1",
      "arn:aws:apigateway:us-east-1::/apis/abc",
    ];
    tagging.resources = arns.map((arn) => tagged(arn));
    const result = await main(["--base-stack", "dev", "--pull-request", "12"], {}, context);
    assert.equal(result.exitCode, 1);
    assert.match(result.text, /^Review stack pr-12 was NOT removed cleanly\./);
    assert.match(result.text, /still tagged with pr-12 \(3\):/);
    for (const arn of arns) assert.ok(result.text.includes(`  - ${arn}`), arn);
    assert.ok(
      tagging.calls.some((c) => c.PaginationToken === "page-2"),
      "followed the second page",
    );
  });

  it("with no state in the backend still drops the database and checks the tags, so a lost state cannot hide a leak", async () => {
    pulumi.set({ stacks: [{ name: "dev" }] });
    tagging.resources = [tagged("arn:aws:lambda:us-east-1:1:function:pr-12-api")];
    const result = await main(["--base-stack", "dev", "--pull-request", "12"], {}, context);
    assert.equal(result.exitCode, 1);
    assert.match(result.text, /state: none in the backend/);
    assert.ok(!pulumi.calls().some((c) => c.startsWith("destroy")));
    assert.equal(lambda.invocations.length, 1);
  });

  it("waits for a deploy that holds the stack's lock, then destroys", async () => {
    pulumi.set({ lockedRuns: 2 });
    const result = await main(["--base-stack", "dev", "--pull-request", "12"], {}, context);
    assert.equal(result.exitCode, 0, result.text);
    assert.equal(pulumi.calls().filter((c) => c.startsWith("destroy")).length, 3);
  });

  it("keeps the state when destroy fails, reports why, and exits non-zero", async () => {
    pulumi.set({ destroyStatus: 255 });
    dropFails = "database review_pr_12 is being accessed by other users";
    const result = await main(["--base-stack", "dev", "--pull-request", "12"], {}, context);
    assert.equal(result.exitCode, 1);
    assert.match(result.text, /failed: pulumi destroy exited 255: error: update failed/);
    assert.match(
      result.text,
      /failed: dropping database review_pr_12: .*being accessed by other users/,
    );
    assert.ok(
      !pulumi.calls().some((c) => c.startsWith("stack rm")),
      "the state stays for the next attempt",
    );
  });

  it("refuses a pull-request number that is not a number, and a review stack that collides with a real stack", async () => {
    await assert.rejects(
      main(["--base-stack", "dev", "--pull-request", "12abc"], {}, context),
      /the pull-request number must be a pull-request number/,
    );
    await assert.rejects(
      main(["--base-stack", "dev"], { CODEBUILD_WEBHOOK_TRIGGER: "branch/main" }, context),
      /not a pull-request build/,
    );
    writeFileSync(path.join(project, "Pulumi.pr-12.yaml"), "config: {}\n");
    await assert.rejects(
      main(["--base-stack", "dev", "--pull-request", "12"], {}, context),
      /review stack pr-12 would collide with the real stack pr-12/,
    );
    assert.deepEqual(pulumi.calls(), [], "nothing ran");
  });
});
