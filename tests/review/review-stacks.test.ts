import { strict as assert } from "node:assert";
import { parse } from "yaml";
import {
  reviewRolePolicy,
  type ReviewPermissions,
} from "../../components/review/review-permissions";
import { descendantsOf, programRun, resourcesOfType, theResource } from "../support/harness";
import {
  isSecretValue,
  type CapturedResource,
  type ProgramRun,
} from "../../tooling/mocks/program-run";

const component = "pipelines:review:ReviewStacks";

describe("review stacks in the dev stack", () => {
  let run: ProgramRun;
  let projects: CapturedResource[];
  const project = (kind: string) =>
    theResource(run, "aws:codebuild/project:Project", `review-stacks-${kind}`);
  const webhook = (kind: string) =>
    theResource(run, "aws:codebuild/webhook:Webhook", `review-stacks-${kind}-webhook`);
  before(async () => {
    run = await programRun("dev");
    projects = descendantsOf(run, theResource(run, component)).filter(
      (r) => r.type === "aws:codebuild/project:Project",
    );
  });

  it("has a deploy, a teardown and a sweep project, all running as the one review role, reading secrets only by reference", () => {
    assert.deepEqual(projects.map((p) => p.name).sort(), [
      "review-stacks-deploy",
      "review-stacks-sweep",
      "review-stacks-teardown",
    ]);
    const roles = new Set(projects.map((p) => String(p.inputs.serviceRole)));
    assert.equal(roles.size, 1);
    for (const p of projects) {
      const variables = (
        p.inputs.environment as {
          environmentVariables: Array<{ name: string; type: string; value: unknown }>;
        }
      ).environmentVariables;
      for (const variable of variables.filter((v) => /TOKEN|PASSPHRASE/.test(v.name)))
        assert.equal(variable.type, "SECRETS_MANAGER", `${p.name} ${variable.name}`);
      assert.ok(!variables.some((v) => isSecretValue(v.value)), p.name);
    }
  });

  it("deploys on pull requests opened, pushed to or reopened against main, a maintainer approving those of people without write access", () => {
    const inputs = webhook("deploy").inputs as {
      filterGroups: Array<{ filters: Array<{ type: string; pattern: string }> }>;
      pullRequestBuildPolicy: { requiresCommentApproval: string; approverRoles: string[] };
    };
    assert.deepEqual(inputs.filterGroups[0].filters, [
      { type: "EVENT", pattern: "PULL_REQUEST_CREATED,PULL_REQUEST_UPDATED,PULL_REQUEST_REOPENED" },
      { type: "BASE_REF", pattern: "^refs/heads/main$" },
    ]);
    assert.equal(inputs.pullRequestBuildPolicy.requiresCommentApproval, "ALL_PULL_REQUESTS");
    assert.deepEqual(inputs.pullRequestBuildPolicy.approverRoles, [
      "GITHUB_WRITE",
      "GITHUB_MAINTAIN",
      "GITHUB_ADMIN",
    ]);
    const spec = parse(
      String((project("deploy").inputs.source as { buildspec: string }).buildspec),
    );
    assert.deepEqual(spec.phases.build.commands, [
      "npm run review:deploy -- --base-stack 'dev' --repository 'acme-coffee/cupping-service' --max-stacks 5",
    ]);
  });

  it("tears down on close and on merge, with no approval needed since no pull-request code runs", () => {
    const inputs = webhook("teardown").inputs as {
      filterGroups: Array<{ filters: Array<{ type: string; pattern: string }> }>;
      pullRequestBuildPolicy: { requiresCommentApproval: string };
    };
    assert.equal(
      inputs.filterGroups[0].filters[0].pattern,
      "PULL_REQUEST_CLOSED,PULL_REQUEST_MERGED",
    );
    assert.equal(inputs.pullRequestBuildPolicy.requiresCommentApproval, "DISABLED");
    assert.match(
      String((project("teardown").inputs.source as { buildspec: string }).buildspec),
      /clone --quiet --depth 1 --branch 'main'/,
    );
  });

  it("sweeps every six hours on main, started by a role that may start only the sweep project", () => {
    assert.equal(project("sweep").inputs.sourceVersion, "main");
    assert.equal(
      theResource(run, "aws:cloudwatch/eventRule:EventRule", "review-stacks-sweep-schedule").inputs
        .scheduleExpression,
      "rate(6 hours)",
    );
    const policy = JSON.parse(
      String(
        theResource(run, "aws:iam/rolePolicy:RolePolicy", "review-stacks-schedule-policy").inputs
          .policy,
      ),
    );
    assert.deepEqual(
      policy.Statement.map((s: { Action: string[] }) => s.Action),
      [["codebuild:StartBuild"]],
    );
  });

  it("is not in production, whose review stacks are off", async () => {
    const production = await programRun("production");
    assert.deepEqual(resourcesOfType(production, component), []);
  });
});

describe("the review role's policy", () => {
  const p: ReviewPermissions = {
    partition: "aws",
    region: "us-east-1",
    accountId: "123456789012",
    logGroupArn: "arn:aws:logs:us-east-1:123456789012:log-group:review-logs",
    secretArns: ["arn:aws:secretsmanager:us-east-1:123456789012:secret:github-token"],
    project: "pipelines",
    baseStack: "dev",
    databaseFunctionArn: "arn:aws:lambda:us-east-1:123456789012:function:cupping-migrate-1a2b",
    state: { bucket: "acme-state", prefix: "" },
    rolePath: "/pipelines/review/",
    permissionsBoundaryArn:
      "arn:aws:iam::123456789012:policy/pipelines-admin/review/pipelines-review-boundary",
  };
  const statements = reviewRolePolicy(p).Statement as Array<{
    Sid: string;
    Action: string[];
    Resource: string | string[];
    Condition?: Record<string, Record<string, string>>;
  }>;
  const resources = (s: { Resource: string | string[] }) =>
    Array.isArray(s.Resource) ? s.Resource : [s.Resource];

  it("names only review-pr-* resources, or needs the review tag, for every write", () => {
    for (const s of statements.filter((st) => /^ReviewNamed/.test(st.Sid)))
      for (const arn of resources(s))
        assert.match(
          arn,
          /:(function|log-group|secret):(\/aws\/lambda\/)?review-pr-\*/,
          `${s.Sid} ${arn}`,
        );
    assert.deepEqual(statements.find((s) => s.Sid === "CreateReviewTagged")?.Condition, {
      StringLike: { "aws:RequestTag/pipelines:review-stack": "pr-*" },
      Null: { "aws:ResourceTag/pipelines:scope": "true" },
    });
    assert.deepEqual(statements.find((s) => s.Sid === "ChangeReviewTagged")?.Condition, {
      StringLike: { "aws:ResourceTag/pipelines:review-stack": "pr-*" },
    });
    assert.equal(
      statements.find((s) => s.Sid === "ReviewRoles")?.Resource,
      "arn:aws:iam::123456789012:role/pipelines/review/review-pr-*",
    );
  });

  it("of the base stack, reads its state and invokes its database function, and writes only review stacks' state", () => {
    assert.equal(
      statements.find((s) => s.Sid === "ReadBaseState")?.Resource,
      "arn:aws:s3:::acme-state/.pulumi/stacks/pipelines/dev.json",
    );
    assert.deepEqual(statements.find((s) => s.Sid === "ReadBaseState")?.Action, ["s3:GetObject"]);
    for (const arn of resources(statements.find((s) => s.Sid === "WriteReviewState")!))
      assert.match(arn, /\/pipelines\/pr-\*$/);
    assert.deepEqual(
      statements.find((s) => s.Sid === "ReviewDatabases"),
      {
        Sid: "ReviewDatabases",
        Effect: "Allow",
        Action: ["lambda:InvokeFunction"],
        Resource: p.databaseFunctionArn,
      },
    );
  });
});
