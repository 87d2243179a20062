import { strict as assert } from "node:assert";
import * as pulumi from "@pulumi/pulumi";
import { Pipeline, type PipelineArgs } from "../../components/pipeline/pipeline";
import {
  aloneRoles,
  ofType,
  runComponent,
  type RegisteredResource,
} from "../support/component-run";
import { reveal } from "../../tooling/mocks/program-run";

/** A pipeline's arguments written out by hand: no stack file, no settings reader. */
const args: PipelineArgs = {
  environment: "staging",
  region: "eu-west-1",
  repository: { owner: "acme", name: "beans", fullName: "acme/beans" },
  branch: "release",
  stages: { test: false, approval: true, deploy: true, publish: false },
  source: {
    kind: "connection",
    connectionArn:
      "arn:aws:codeconnections:eu-west-1:111122223333:connection/0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0",
    filePaths: ["src/**"],
  },
  build: {
    computeType: "BUILD_GENERAL1_SMALL",
    image: "aws/codebuild/amazonlinux-aarch64-standard:3.0",
    timeoutMinutes: 15,
    cache: "NONE",
    coverageThreshold: 70,
    buildspecFiles: {},
  },
  deploy: { backendUrl: "s3://state", configPassphrase: pulumi.secret("passphrase") },
  publish: {},
  approvalEmails: ["approver@example.com"],
  release: {
    approval: "when-risky",
    postDeployAlarmMinutes: 15,
    deployWindow: { cron: "* 0-59 9-16 ? * MON-THU", timeZone: "Europe/Berlin" },
  },
  watchedAlarms: ["beans-errors"],
  retention: { logDays: 7, artifactDays: 5 },
  roles: aloneRoles,
};

describe("the Pipeline component built alone from its arguments", () => {
  let resources: RegisteredResource[];
  before(async () => {
    resources = await runComponent(() => new Pipeline("release", args));
  });

  it("registers as pipelines:cicd:Pipeline, its type token naming its class", () => {
    assert.deepEqual(
      ofType(resources, "pipelines:cicd:Pipeline").map((r) => r.name),
      ["release"],
    );
  });

  it("renders the stages its arguments switch on, reading the source through the given connection", () => {
    const [pipeline] = ofType(resources, "aws:codepipeline/pipeline:Pipeline");
    const stages = reveal(pipeline.inputs.stages) as Array<{
      name: string;
      actions: Array<{ configuration: Record<string, string> }>;
    }>;
    assert.equal(pipeline.inputs.name, "beans-staging");
    assert.deepEqual(stages.map((s) => s.name).slice(0, 2), ["Source", "Build"]);
    assert.ok(stages.some((s) => s.name === "Approval") && stages.some((s) => s.name === "Deploy"));
    assert.ok(!stages.some((s) => s.name === "Test" || s.name === "Publish"));
    assert.equal(
      stages[0].actions[0].configuration.ConnectionArn,
      args.source.kind === "connection" ? args.source.connectionArn : "",
    );
  });

  it("builds on the image, timeout and retention it is given, and keeps only the secrets its plan names", () => {
    const projects = ofType(resources, "aws:codebuild/project:Project");
    assert.ok(projects.length >= 2);
    for (const project of projects) {
      const environment = project.inputs.environment as { type: string; image: string };
      assert.deepEqual(
        [environment.type, environment.image, project.inputs.buildTimeout],
        ["ARM_CONTAINER", args.build.image, 15],
      );
    }
    for (const logGroup of ofType(resources, "aws:cloudwatch/logGroup:LogGroup"))
      assert.equal(logGroup.inputs.retentionInDays, 7);
    assert.deepEqual(
      ofType(resources, "aws:secretsmanager/secret:Secret").map((s) => s.name),
      ["release-deploy-credentials-pulumiConfigPassphrase"],
    );
    assert.deepEqual(
      ofType(resources, "pipelines:cicd:RepositoryCredential"),
      [],
      "a connection source needs no GitHub token secret",
    );
  });

  it("puts every role under the given path with the given boundary, and the role that runs pulumi up under the admin path", () => {
    const roles = ofType(resources, "aws:iam/role:Role");
    assert.deepEqual(
      roles.map((r) => [r.name, r.inputs.path, r.inputs.permissionsBoundary]),
      roles.map((r) => [
        r.name,
        r.name === "release-deploy-role" ? "/beans-admin/staging/" : "/beans/staging/",
        args.roles.permissionsBoundary,
      ]),
    );
    assert.ok(roles.some((r) => r.name === "release-deploy-role"));
  });

  it("asks the given approvers", () => {
    assert.deepEqual(
      ofType(resources, "aws:sns/topicSubscription:TopicSubscription").map(
        (s) => s.inputs.endpoint,
      ),
      ["approver@example.com"],
    );
  });
});
