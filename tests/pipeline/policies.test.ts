import { strict as assert } from "node:assert";
import { deployPolicyStatements } from "../../components/pipeline/deploy-policy";
import { listOf, roleScope, type PolicyStatement } from "../../components/iam";
import {
  buildProjectPolicy,
  keyPolicy,
  pipelineRolePolicy,
  publishPolicyStatements,
  tlsOnlyBucketPolicy,
  type BuildProjectResources,
} from "../../components/pipeline/policies";
import { tooBroad } from "./captured";

const account = { partition: "aws", region: "eu-west-1", accountId: "111122223333" };
const bucketArn = "arn:aws:s3:::artifacts";
const keyArn = "arn:aws:kms:eu-west-1:111122223333:key/k";
const project: BuildProjectResources = {
  logGroupArn: "arn:aws:logs:eu-west-1:111122223333:log-group:/aws/codebuild/p",
  bucketArn,
  artifactPrefix: "cupping-service-prod",
  keyArn,
  reportGroupArns: ["arn:aws:codebuild:eu-west-1:111122223333:report-group/p-junit"],
  secretArns: [],
};
const bySid = (statements: readonly PolicyStatement[]) =>
  Object.fromEntries(statements.map((s) => [s.Sid, s]));

describe("the pipeline's IAM documents", () => {
  it("tell a too-broad statement from a scoped one", () => {
    assert.equal(
      tooBroad({ Effect: "Allow", Action: ["*"], Resource: [bucketArn] }),
      'allows Action "*"',
    );
    assert.equal(
      tooBroad({
        Effect: "Allow",
        Action: ["s3:GetObject", "sts:GetCallerIdentity"],
        Resource: ["*"],
      }),
      'allows s3:GetObject on Resource "*"',
    );
    assert.equal(
      tooBroad({
        Effect: "Allow",
        Action: ["sts:GetCallerIdentity", "ec2:Describe*"],
        Resource: ["*"],
      }),
      undefined,
    );
    assert.equal(tooBroad({ Effect: "Deny", Action: ["*"], Resource: ["*"] }), undefined);
  });

  it("give the pipeline role its bucket, key and builds, and approval or connection rights only when it has them", () => {
    const base = {
      bucketArn,
      keyArn,
      projectArns: ["arn:aws:codebuild:eu-west-1:111122223333:project/p"],
      projectRoleArns: ["arn:aws:iam::111122223333:role/p"],
    };
    const plain = bySid(pipelineRolePolicy(base).Statement);
    assert.deepEqual(Object.keys(plain), [
      "ReadWriteArtifacts",
      "ReadArtifactBucket",
      "UseArtifactKey",
      "StartAndReadOwnBuilds",
      "PassOnlyOwnProjectRoles",
    ]);
    assert.deepEqual(plain.PassOnlyOwnProjectRoles.Condition, {
      StringEquals: { "iam:PassedToService": "codebuild.amazonaws.com" },
    });
    const full = bySid(
      pipelineRolePolicy({
        ...base,
        approval: { topicArn: "arn:aws:sns:eu-west-1:111122223333:t", keyArn: "k2" },
        connectionArn: "arn:c",
      }).Statement,
    );
    assert.deepEqual(full.NotifyApprovers.Resource, ["arn:aws:sns:eu-west-1:111122223333:t"]);
    assert.deepEqual(full.UseSourceConnection.Resource, ["arn:c"]);
  });

  it("give a build project its log group, its artifact and cache prefixes, its report groups and its secrets only", () => {
    const plain = bySid(buildProjectPolicy(project).Statement);
    assert.deepEqual(Object.keys(plain), [
      "WriteOwnLogs",
      "ReadWritePipelineArtifacts",
      "LocateArtifactBucket",
      "UseArtifactKey",
      "WriteOwnReports",
    ]);
    assert.deepEqual(plain.ReadWritePipelineArtifacts.Resource, [
      "arn:aws:s3:::artifacts/cupping-service-prod/*",
    ]);
    const cached = bySid(
      buildProjectPolicy({
        ...project,
        cachePrefix: "cache/build",
        secretArns: ["arn:s1"],
        sourceCredential: { kind: "secret", arn: "arn:s2" },
      }).Statement,
    );
    assert.deepEqual(cached.ReadWriteOwnCache.Resource, ["arn:aws:s3:::artifacts/cache/build/*"]);
    assert.deepEqual(cached.ReadOwnSecrets.Resource, ["arn:s1", "arn:s2"]);
  });

  it("let the Publish project sign in to its domain and publish npm packages to its repository only", () => {
    const statements = bySid(publishPolicyStatements({ account, domain: "d", repository: "r" }));
    assert.deepEqual(statements.SignInToDomain.Resource, [
      "arn:aws:codeartifact:eu-west-1:111122223333:domain/d",
    ]);
    assert.deepEqual(statements.PublishNpmPackages.Resource, [
      "arn:aws:codeartifact:eu-west-1:111122223333:package/d/r/npm/*",
    ]);
    assert.deepEqual(statements.BearerTokenForCodeArtifact.Condition, {
      StringEquals: { "sts:AWSServiceName": "codeartifact.amazonaws.com" },
    });
  });

  it("scope the Deploy project to this account and region, with IAM on roles and policies only", () => {
    const statements = deployPolicyStatements(
      account,
      roleScope({ project: "pipelines", name: "production" }),
    );
    assert.deepEqual(statements.map(tooBroad).filter(Boolean), []);
    for (const statement of statements.filter((s) => !listOf(s.Resource).includes("*"))) {
      for (const resource of listOf(statement.Resource))
        assert.match(
          resource,
          /^arn:aws:[a-z0-9-]+:(eu-west-1|):(111122223333|):|^arn:aws:(s3|route53):::[a-z]*\/?\*$/,
          resource,
        );
    }
    const iam = statements.flatMap((s) =>
      listOf(s.Action)
        .filter((a) => a.startsWith("iam:"))
        .map((action) => ({ action, resources: listOf(s.Resource) })),
    );
    assert.ok(iam.length > 0 && iam.every(({ action }) => action !== "iam:*"));
    assert.ok(
      iam.every(({ resources }) =>
        resources.every((r) => r.startsWith("arn:aws:iam::111122223333:")),
      ),
    );
    assert.deepEqual(bySid(statements).ManageBucketsOfThisAccount.Condition, {
      StringEquals: { "aws:ResourceAccount": "111122223333" },
    });
  });

  it("deny plain HTTP to the bucket, and keep keys administrable through IAM", () => {
    const [deny] = tlsOnlyBucketPolicy(bucketArn).Statement;
    assert.deepEqual(
      [deny.Effect, deny.Principal, deny.Action, deny.Condition],
      ["Deny", "*", ["s3:*"], { Bool: { "aws:SecureTransport": "false" } }],
    );
    const key = keyPolicy(account, [
      { sid: "Sns", principal: { Service: "sns.amazonaws.com" }, actions: ["kms:Decrypt"] },
    ]).Statement;
    assert.deepEqual(
      key.map((s) => s.Principal),
      [{ AWS: "arn:aws:iam::111122223333:root" }, { Service: "sns.amazonaws.com" }],
    );
  });
});
