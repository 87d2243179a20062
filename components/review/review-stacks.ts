import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { StackSettings } from "../../stacks/settings";
import { pullRequestEndEvents, pullRequestFilterGroups } from "../github/branch-filters";
import { s3StateLocation } from "../github/preview-permissions";
import {
  pullRequestBuildSecrets,
  stackBuildCredentials,
  trustedRoles,
} from "../github/pull-request-build";
import { renderBuildspec, type Buildspec } from "../pipeline";
import { projectEnvironment } from "../pipeline/build-project";
import { pulumiCliVersion } from "../pipeline/buildspecs/common";
import { adminHeld, PermissionsBoundary, serviceRole, type RolePlacement } from "../iam";
import {
  reviewDeployBuildspec,
  reviewSweepBuildspec,
  reviewTeardownBuildspec,
  type ReviewBuild,
} from "./review-buildspecs";
import { reviewRolePolicy } from "./review-permissions";
import { reviewRoleScope, reviewScopeTags } from "./review-scope";

export interface ReviewStacksArgs {
  /** The base stack's settings: repository, branch, build environment, state backend, credentials, review switches. */
  readonly settings: StackSettings;
  /** Name of the base stack's migrate function, which creates and drops the review databases on its instance. */
  readonly databaseFunctionName: pulumi.Input<string>;
  /** Path and permissions boundary of the sweeper's schedule role (the base stack's). */
  readonly roles: RolePlacement;
  /** How often the sweeper runs (an EventBridge schedule expression). @default "rate(6 hours)" */
  readonly sweepSchedule?: string;
}

/**
 * Review stacks for pull requests against the base stack's branch: a CodeBuild project that deploys the pull
 * request as `pr-<number>` on every push (fork pull requests after a maintainer's approval), one that tears it down
 * on close or merge with the default branch's code, and a scheduled sweeper. All three run as the review role, which,
 * like every role of a review stack, carries the review scope's own boundary: dev's secrets, keys and functions stay
 * out of its reach, but the base's migrate function (invoke) and the builds' own credentials (read).
 */
export class ReviewStacks extends pulumi.ComponentResource {
  /** Names of the deploy, teardown and sweep projects. */
  readonly projectNames: pulumi.Output<{ deploy: string; teardown: string; sweep: string }>;
  /** ARN of the review role the three builds run as. */
  readonly roleArn: pulumi.Output<string>;
  /** ARN of the review scope's permissions boundary, which the review role and every role of a review stack carry. */
  readonly boundaryArn: pulumi.Output<string>;

  constructor(name: string, args: ReviewStacksArgs, opts?: pulumi.ComponentResourceOptions) {
    super("pipelines:review:ReviewStacks", name, {}, opts);
    const { settings } = args;
    const parent = { parent: this };
    const { githubTokenArn, secretArns, environmentVariables, logGroup } = pullRequestBuildSecrets(
      name,
      stackBuildCredentials(settings),
      parent,
    );

    const identity = aws.getCallerIdentityOutput({}, parent);
    const partition = aws.getPartitionOutput({}, parent).partition;
    const databaseFunctionArn = pulumi.interpolate`arn:${partition}:lambda:${settings.region}:${identity.accountId}:function:${args.databaseFunctionName}`;
    const boundary = new PermissionsBoundary(
      `${name}-boundary`,
      {
        scope: reviewRoleScope(settings.project),
        region: settings.region,
        reach: pulumi.all([databaseFunctionArn, ...secretArns]).apply(([fn, ...secrets]) => ({
          scopeTags: reviewScopeTags(settings.project),
          shared: [
            { arn: fn, actions: ["lambda:InvokeFunction"] },
            ...secrets.map((arn) => ({ arn, actions: ["secretsmanager:GetSecretValue"] })),
          ],
        })),
      },
      parent,
    );
    // Under the review scope's admin path: neither it nor a role it makes can change it.
    const role = serviceRole(
      `${name}-role`,
      {
        service: "codebuild.amazonaws.com",
        description: `Deploys and removes review stacks of ${settings.environment}`,
        placement: adminHeld(boundary.roles),
      },
      parent,
    );
    const rolePolicy = new aws.iam.RolePolicy(
      `${name}-role-policy`,
      {
        role: role.id,
        policy: pulumi
          .all([
            partition,
            identity.accountId,
            logGroup.arn,
            databaseFunctionArn,
            boundary.arn,
            ...secretArns,
          ])
          .apply(
            ([
              partitionName,
              accountId,
              logGroupArn,
              databaseFunctionArnValue,
              permissionsBoundaryArn,
              ...secretArnValues
            ]) =>
              JSON.stringify(
                reviewRolePolicy({
                  partition: partitionName,
                  region: settings.region,
                  accountId,
                  logGroupArn,
                  secretArns: secretArnValues,
                  project: settings.project,
                  baseStack: settings.environment,
                  databaseFunctionArn: databaseFunctionArnValue,
                  state: s3StateLocation(settings.deploy.backendUrl),
                  rolePath: boundary.roles.path,
                  permissionsBoundaryArn,
                }),
              ),
          ),
      },
      parent,
    );

    const build: ReviewBuild = {
      baseStack: settings.environment,
      repository: settings.repository.fullName,
      defaultBranch: settings.branch,
      backendUrl: settings.deploy.backendUrl,
      pulumiVersion: pulumiCliVersion,
      maxStacks: settings.reviewStacks.maxStacks,
      ttlHours: settings.reviewStacks.ttlHours,
    };
    const project = (
      kind: "deploy" | "teardown" | "sweep",
      buildspec: Buildspec,
      description: string,
    ) =>
      new aws.codebuild.Project(
        `${name}-${kind}`,
        {
          description,
          serviceRole: role.arn,
          source: {
            type: "GITHUB",
            location: `https://github.com/${settings.repository.fullName}.git`,
            gitCloneDepth: 1,
            reportBuildStatus: kind === "deploy",
            buildStatusConfig:
              kind === "deploy" ? { context: `review stack (${settings.environment})` } : undefined,
            auth: { type: "SECRETS_MANAGER", resource: githubTokenArn },
            buildspec: renderBuildspec(buildspec),
          },
          // Scheduled sweeps build the default branch.
          sourceVersion: kind === "sweep" ? settings.branch : undefined,
          artifacts: { type: "NO_ARTIFACTS" },
          environment: projectEnvironment(settings.build, [
            ...environmentVariables,
            {
              name: "REPOSITORY_URL",
              type: "PLAINTEXT",
              value: `https://github.com/${settings.repository.fullName}.git`,
            },
          ]),
          buildTimeout: settings.build.timeoutMinutes,
          logsConfig: {
            cloudwatchLogs: { status: "ENABLED", groupName: logGroup.name, streamName: kind },
            s3Logs: { status: "DISABLED" },
          },
        },
        { parent: this, dependsOn: [rolePolicy] },
      );
    const deploy = project(
      "deploy",
      reviewDeployBuildspec(build),
      `Deploys pull requests against ${settings.branch} as review stacks pr-<number>`,
    );
    const teardown = project(
      "teardown",
      reviewTeardownBuildspec(build),
      `Removes a pull request's review stack with ${settings.branch}'s code when it closes`,
    );
    const sweep = project(
      "sweep",
      reviewSweepBuildspec(build),
      `Removes review stacks of closed pull requests and those idle for ${settings.reviewStacks.ttlHours} hours`,
    );

    new aws.codebuild.Webhook(
      `${name}-deploy-webhook`,
      {
        projectName: deploy.name,
        buildType: "BUILD",
        filterGroups: pullRequestFilterGroups(settings.branch),
        pullRequestBuildPolicy: {
          requiresCommentApproval: "ALL_PULL_REQUESTS",
          approverRoles: trustedRoles,
        },
      },
      parent,
    );
    // Tearing down runs none of the pull request's code, so no one needs to approve it.
    new aws.codebuild.Webhook(
      `${name}-teardown-webhook`,
      {
        projectName: teardown.name,
        buildType: "BUILD",
        filterGroups: pullRequestFilterGroups(settings.branch, pullRequestEndEvents),
        pullRequestBuildPolicy: { requiresCommentApproval: "DISABLED" },
      },
      parent,
    );

    const scheduleRole = serviceRole(
      `${name}-schedule-role`,
      {
        service: "events.amazonaws.com",
        description: "Starts the review stack sweeper",
        placement: args.roles,
      },
      parent,
    );
    new aws.iam.RolePolicy(
      `${name}-schedule-policy`,
      {
        role: scheduleRole.id,
        policy: sweep.arn.apply((arn) =>
          JSON.stringify({
            Version: "2012-10-17",
            Statement: [
              {
                Sid: "StartTheSweeper",
                Effect: "Allow",
                Action: ["codebuild:StartBuild"],
                Resource: arn,
              },
            ],
          }),
        ),
      },
      parent,
    );
    const schedule = new aws.cloudwatch.EventRule(
      `${name}-sweep-schedule`,
      {
        description: "Sweeps review stacks",
        scheduleExpression: args.sweepSchedule ?? "rate(6 hours)",
      },
      parent,
    );
    new aws.cloudwatch.EventTarget(
      `${name}-sweep-target`,
      { rule: schedule.name, arn: sweep.arn, roleArn: scheduleRole.arn },
      parent,
    );

    this.roleArn = role.arn;
    this.boundaryArn = boundary.arn;
    this.projectNames = pulumi
      .all([deploy.name, teardown.name, sweep.name])
      .apply(([d, t, s]) => ({ deploy: d, teardown: t, sweep: s }));
    this.registerOutputs({
      projectNames: this.projectNames,
      roleArn: this.roleArn,
      boundaryArn: this.boundaryArn,
    });
  }
}
