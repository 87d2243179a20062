import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { StackSettings } from "../../stacks";
import { serviceRole, type RolePlacement } from "../iam";
import { renderBuildspec } from "../pipeline";
import { environmentType } from "../pipeline/build-project";
import { pullRequestFilterGroups } from "./branch-filters";
import { pullRequestBuildSecrets, trustedRoles } from "./pull-request-build";
import { pulumiCliVersion } from "../pipeline/buildspecs/common";
import { previewBuildspec } from "./preview-buildspec";
import { previewRolePolicy, s3StateLocation } from "./preview-permissions";

export interface PullRequestPreviewsArgs {
  /** The stack's settings: repository, branch, build environment, state backend and its credentials, GitHub token. */
  readonly settings: StackSettings;
  /** Path and permissions boundary of the project's role. */
  readonly roles: RolePlacement;
}

/**
 * Every pull request against the stack's branch gets the tests and `pulumi preview` of the stack, run by CodeBuild:
 * the status on the pull request, and the preview as a comment that later pushes update.
 */
export class PullRequestPreviews extends pulumi.ComponentResource {
  /** Name of the CodeBuild project that runs the previews. */
  readonly projectName: pulumi.Output<string>;

  constructor(name: string, args: PullRequestPreviewsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("pipelines:github:PullRequestPreviews", name, {}, opts);
    const { settings } = args;
    const parent = { parent: this };
    // The same kinds of secret the pipeline's projects read, held apart: each role reads only its own project's secrets.
    const { githubTokenArn, secretArns, environmentVariables, logGroup } = pullRequestBuildSecrets(
      name,
      settings,
      parent,
    );
    const role = serviceRole(
      `${name}-role`,
      {
        service: "codebuild.amazonaws.com",
        description: `Runs pulumi preview of the ${settings.environment} stack on pull requests`,
        placement: args.roles,
      },
      parent,
    );
    const partition = aws.getPartitionOutput({}, parent).partition;
    const rolePolicy = new aws.iam.RolePolicy(
      `${name}-role-policy`,
      {
        role: role.id,
        policy: pulumi
          .all([partition, logGroup.arn, ...secretArns])
          .apply(([partitionName, logGroupArn, ...secretArns]) =>
            JSON.stringify(
              previewRolePolicy({
                partition: partitionName,
                logGroupArn,
                secretArns,
                state: s3StateLocation(settings.deploy.backendUrl),
              }),
            ),
          ),
      },
      parent,
    );

    const buildspec = previewBuildspec({
      stack: settings.environment,
      repository: settings.repository.fullName,
      backendUrl: settings.deploy.backendUrl,
      pulumiVersion: pulumiCliVersion,
    });
    const project = new aws.codebuild.Project(
      `${name}-project`,
      {
        description: `Tests and pulumi preview of the ${settings.environment} stack for pull requests against ${settings.branch}`,
        serviceRole: role.arn,
        source: {
          type: "GITHUB",
          location: `https://github.com/${settings.repository.fullName}.git`,
          gitCloneDepth: 1,
          reportBuildStatus: true,
          buildStatusConfig: { context: `pulumi preview (${settings.environment})` },
          auth: { type: "SECRETS_MANAGER", resource: githubTokenArn },
          buildspec: renderBuildspec(buildspec),
        },
        artifacts: { type: "NO_ARTIFACTS" },
        environment: {
          // The pipeline's projects' rule: an arm64 image runs in an ARM container.
          type: environmentType(settings.build.image),
          computeType: settings.build.computeType,
          image: settings.build.image,
          imagePullCredentialsType: "CODEBUILD",
          // Secrets only by reference: CodeBuild reads them from Secrets Manager when the build starts.
          environmentVariables,
        },
        buildTimeout: settings.build.timeoutMinutes,
        logsConfig: {
          cloudwatchLogs: { status: "ENABLED", groupName: logGroup.name },
          s3Logs: { status: "DISABLED" },
        },
      },
      { parent: this, dependsOn: [rolePolicy] },
    );
    this.projectName = project.name;

    new aws.codebuild.Webhook(
      `${name}-webhook`,
      {
        projectName: project.name,
        buildType: "BUILD",
        filterGroups: pullRequestFilterGroups(settings.branch),
        pullRequestBuildPolicy: {
          requiresCommentApproval: "ALL_PULL_REQUESTS",
          approverRoles: trustedRoles,
        },
      },
      parent,
    );

    this.registerOutputs({ projectName: this.projectName });
  }
}
