import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { StackSettings } from "../../stacks";
import { DeployCredentials, RepositoryCredential, renderBuildspec } from "../pipeline";
import type { DeploySecret } from "../pipeline/plan";
import { serviceRole, type RolePlacement } from "../iam";
import { pullRequestFilterGroups } from "./branch-filters";
import { pulumiCliVersion } from "../pipeline/buildspecs/common";
import { previewBuildspec } from "./preview-buildspec";
import { previewRolePolicy, s3StateLocation } from "./preview-permissions";

export interface PullRequestPreviewsArgs {
  /** The stack's settings: repository, branch, build environment, state backend and its credentials, GitHub token. */
  readonly settings: StackSettings;
  /** Path and permissions boundary of the project's role. */
  readonly roles: RolePlacement;
}

/** The Pulumi CLI the preview installs: the release of the SDK the program is built with. */

/** The environment variable the Pulumi CLI reads each backend credential from. */
const credentialVariables: Readonly<Record<DeploySecret, string>> = {
  pulumiAccessToken: "PULUMI_ACCESS_TOKEN",
  pulumiConfigPassphrase: "PULUMI_CONFIG_PASSPHRASE",
};

// The repository webhook delivers pull requests of anyone who can open one: people without write access wait for a
// maintainer's /codebuild_run comment, because the build holds the stack's credentials.
const trustedRoles = ["GITHUB_WRITE", "GITHUB_MAINTAIN", "GITHUB_ADMIN"];

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
    if (!settings.github.token) throw new Error("pull-request previews need github:token: it clones, reports the status and comments");
    const parent = { parent: this };

    // The same kinds of secret the pipeline's projects read, held apart: each role reads only its own project's secrets.
    const githubToken = new RepositoryCredential(`${name}-github-token`, { token: settings.github.token }, parent);
    const credentials = new DeployCredentials(`${name}-credentials`, { values: { pulumiAccessToken: settings.deploy.accessToken, pulumiConfigPassphrase: settings.deploy.configPassphrase } }, parent);
    const credentialArns = Object.entries(credentials.secretArns) as Array<[DeploySecret, pulumi.Output<string>]>;

    const logGroup = new aws.cloudwatch.LogGroup(`${name}-logs`, { retentionInDays: settings.retention.logDays }, parent);
    const role = serviceRole(`${name}-role`, { service: "codebuild.amazonaws.com", description: `Runs pulumi preview of the ${settings.environment} stack on pull requests`, placement: args.roles }, parent);
    const partition = aws.getPartitionOutput({}, parent).partition;
    const rolePolicy = new aws.iam.RolePolicy(
      `${name}-role-policy`,
      {
        role: role.id,
        policy: pulumi
          .all([partition, logGroup.arn, githubToken.secretArn, ...credentialArns.map(([, arn]) => arn)])
          .apply(([partitionName, logGroupArn, ...secretArns]) =>
            JSON.stringify(previewRolePolicy({ partition: partitionName, logGroupArn, secretArns, state: s3StateLocation(settings.deploy.backendUrl) })),
          ),
      },
      parent,
    );

    const buildspec = previewBuildspec({ stack: settings.environment, repository: settings.repository.fullName, backendUrl: settings.deploy.backendUrl, pulumiVersion: pulumiCliVersion });
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
          auth: { type: "SECRETS_MANAGER", resource: githubToken.secretArn },
          buildspec: renderBuildspec(buildspec),
        },
        artifacts: { type: "NO_ARTIFACTS" },
        environment: {
          type: "LINUX_CONTAINER",
          computeType: settings.build.computeType,
          image: settings.build.image,
          imagePullCredentialsType: "CODEBUILD",
          // Secrets only by reference: CodeBuild reads them from Secrets Manager when the build starts.
          environmentVariables: [
            { name: "GITHUB_TOKEN", type: "SECRETS_MANAGER", value: pulumi.interpolate`${githubToken.secretArn}:Token` },
            ...credentialArns.map(([secret, arn]) => ({ name: credentialVariables[secret], type: "SECRETS_MANAGER", value: arn })),
          ],
        },
        buildTimeout: settings.build.timeoutMinutes,
        logsConfig: { cloudwatchLogs: { status: "ENABLED", groupName: logGroup.name }, s3Logs: { status: "DISABLED" } },
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
        pullRequestBuildPolicy: { requiresCommentApproval: "ALL_PULL_REQUESTS", approverRoles: trustedRoles },
      },
      parent,
    );

    this.registerOutputs({ projectName: this.projectName });
  }
}
