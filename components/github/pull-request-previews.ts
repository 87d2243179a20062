import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { StackSettings } from "../../stacks";
import { pullRequestFilterGroups } from "./branch-filters";
import { previewBuildspec, renderBuildspec } from "./preview-buildspec";
import { previewRolePolicy, s3StateLocation } from "./preview-permissions";

export interface PullRequestPreviewsArgs {
  /** The stack's settings: repository, branch, build environment, state backend and its credentials, GitHub token. */
  readonly settings: StackSettings;
}

/** The Pulumi CLI the preview installs: the release of the SDK the program is built with. */
export const pulumiCliVersion: string = require("@pulumi/pulumi/package.json").version;

/** The backend credentials a preview may need, by the environment variable the Pulumi CLI reads them from. */
const backendCredentials = [
  { variable: "PULUMI_ACCESS_TOKEN", key: "pulumi-access-token", value: (s: StackSettings) => s.deploy.accessToken },
  { variable: "PULUMI_CONFIG_PASSPHRASE", key: "pulumi-config-passphrase", value: (s: StackSettings) => s.deploy.configPassphrase },
] as const;

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

    const key = new aws.kms.Key(`${name}-key`, { description: `Secrets of the ${settings.environment} pull-request previews`, enableKeyRotation: true }, parent);
    const store = (suffix: string, description: string, value: pulumi.Input<string>, tags?: Record<string, string>) => {
      const secret = new aws.secretsmanager.Secret(`${name}-${suffix}`, { description, kmsKeyId: key.arn, tags }, parent);
      new aws.secretsmanager.SecretVersion(`${name}-${suffix}-value`, { secretId: secret.id, secretString: pulumi.secret(value) }, parent);
      return secret;
    };

    // CodeBuild reads a source credential from a secret in this form; used on the project's source only, it leaves the
    // account-wide GitHub credential (shared by every stack and project of the account) alone.
    const githubToken = store(
      "github-token",
      `GitHub token of the ${settings.environment} pull-request previews`,
      settings.github.token.apply((token) => JSON.stringify({ ServerType: "GITHUB", AuthType: "PERSONAL_ACCESS_TOKEN", Token: token })),
      { "codebuild:source": "", "codebuild:source:provider": "github", "codebuild:source:type": "personal_access_token" },
    );
    const credentials = backendCredentials.flatMap(({ variable, key: suffix, value }) => {
      const secretValue = value(settings);
      return secretValue ? [{ variable, secret: store(suffix, `${variable} of the ${settings.environment} pull-request previews`, secretValue) }] : [];
    });

    const logGroup = new aws.cloudwatch.LogGroup(`${name}-logs`, { retentionInDays: settings.retention.logDays }, parent);
    const role = new aws.iam.Role(
      `${name}-role`,
      {
        description: `Runs pulumi preview of the ${settings.environment} stack on pull requests`,
        assumeRolePolicy: JSON.stringify({
          Version: "2012-10-17",
          Statement: [{ Effect: "Allow", Principal: { Service: "codebuild.amazonaws.com" }, Action: "sts:AssumeRole" }],
        }),
      },
      parent,
    );
    const partition = aws.getPartitionOutput({}, parent).partition;
    const rolePolicy = new aws.iam.RolePolicy(
      `${name}-role-policy`,
      {
        role: role.id,
        policy: pulumi
          .all([partition, logGroup.arn, key.arn, githubToken.arn, ...credentials.map((c) => c.secret.arn)])
          .apply(([partitionName, logGroupArn, keyArn, ...secretArns]) =>
            JSON.stringify(previewRolePolicy({ partition: partitionName, region: settings.region, logGroupArn, keyArn, secretArns, state: s3StateLocation(settings.deploy.backendUrl) })),
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
          auth: { type: "SECRETS_MANAGER", resource: githubToken.arn },
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
            { name: "GITHUB_TOKEN", type: "SECRETS_MANAGER", value: pulumi.interpolate`${githubToken.arn}:Token` },
            ...credentials.map(({ variable, secret }) => ({ name: variable, type: "SECRETS_MANAGER", value: secret.arn })),
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
