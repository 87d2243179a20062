import { strict as assert } from "node:assert";
import * as pulumi from "@pulumi/pulumi";
import { parse } from "yaml";
import {
  PullRequestPreviews,
  type PullRequestPreviewsArgs,
} from "../../components/github/pull-request-previews";
import {
  aloneRoles,
  ofType,
  runComponent,
  type RegisteredResource,
} from "../support/component-run";
import { isSecretValue, reveal } from "../../tooling/mocks/program-run";

/** The previews' arguments written out by hand: no stack file, no settings reader. */
const args: PullRequestPreviewsArgs = {
  stack: "staging",
  repository: "acme/beans",
  branch: "release",
  environment: {
    computeType: "BUILD_GENERAL1_MEDIUM",
    image: "aws/codebuild/amazonlinux-aarch64-standard:3.0",
    timeoutMinutes: 25,
  },
  logRetentionDays: 7,
  backendUrl: "s3://beans-state/pulumi",
  pulumiConfigPassphrase: pulumi.secret("passphrase-alone"),
  sourceToken: pulumi.secret("ghp_adminAloneToken000000000000000000"),
  commentToken: pulumi.secret("github_pat_commentAloneToken0000000000"),
  actorIds: ["583231"],
  roles: aloneRoles,
};

describe("the PullRequestPreviews component built alone from its arguments", () => {
  let resources: RegisteredResource[];
  let project: RegisteredResource;
  before(async () => {
    resources = await runComponent(() => new PullRequestPreviews("previews", args));
    [project] = ofType(resources, "aws:codebuild/project:Project");
  });

  it("registers as pipelines:github:PullRequestPreviews, its type token naming its class", () => {
    const [component] = resources.filter((r) => r.name === "previews");
    assert.equal(component.type, "pipelines:github:PullRequestPreviews");
    assert.equal(component.type.split(":").pop(), PullRequestPreviews.name);
  });

  it("builds the given repository's pull requests against the given branch, from the given actors only", () => {
    const source = project.inputs.source as { location: string; buildspec: string };
    assert.equal(source.location, "https://github.com/acme/beans.git");
    assert.match(source.buildspec, /pulumi preview --stack 'staging'/);
    assert.match(source.buildspec, /pulumi login --non-interactive 's3:\/\/beans-state\/pulumi'/);
    const [webhook] = ofType(resources, "aws:codebuild/webhook:Webhook");
    assert.deepEqual(
      (webhook.inputs.filterGroups as Array<{ filters: unknown[] }>)[0].filters.slice(1),
      [
        { type: "BASE_REF", pattern: "^refs/heads/release$" },
        { type: "ACTOR_ACCOUNT_ID", pattern: "^(583231)$" },
      ],
    );
  });

  it("runs on the given compute type, image and timeout, in an ARM container for an arm64 image", () => {
    const environment = project.inputs.environment as Record<string, unknown>;
    assert.deepEqual(
      [environment.type, environment.computeType, environment.image, project.inputs.buildTimeout],
      ["ARM_CONTAINER", "BUILD_GENERAL1_MEDIUM", args.environment.image, 25],
    );
    assert.deepEqual(
      ofType(resources, "aws:cloudwatch/logGroup:LogGroup").map((g) => g.inputs.retentionInDays),
      [7],
    );
  });

  it("gives the build steps the comment token, never the source token", () => {
    const values = ofType(resources, "aws:secretsmanager/secretVersion:SecretVersion");
    assert.ok(values.every((v) => isSecretValue(v.inputs.secretString)));
    const [comment] = values.filter((v) => v.name === "previews-build-token-value");
    assert.equal(reveal(comment.inputs.secretString), "github_pat_commentAloneToken0000000000");
    const variables = (
      project.inputs.environment as { environmentVariables: Array<{ name: string; value: string }> }
    ).environmentVariables;
    const githubToken = variables.find((v) => v.name === "GITHUB_TOKEN")!;
    assert.match(githubToken.value, /secret:previews-build-token$/);
    assert.deepEqual(
      variables.map((v) => v.name),
      ["GITHUB_TOKEN", "PULUMI_CONFIG_PASSPHRASE"],
      "no access token without one: the backend is self-managed",
    );
  });

  it("puts its role under the given path with the given boundary, reading the given state bucket", () => {
    const [role] = ofType(resources, "aws:iam/role:Role");
    assert.deepEqual(
      [role.inputs.path, role.inputs.permissionsBoundary],
      ["/beans/staging/", args.roles.permissionsBoundary],
    );
    const [policy] = ofType(resources, "aws:iam/rolePolicy:RolePolicy");
    const statements = parse(policy.inputs.policy as string).Statement as Array<{
      Sid: string;
      Resource: unknown;
    }>;
    assert.deepEqual(statements.find((s) => s.Sid === "ReadState")?.Resource, [
      "arn:aws:s3:::beans-state/pulumi/.pulumi/*",
    ]);
  });
});
