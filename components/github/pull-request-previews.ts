import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { serviceRole, type RolePlacement } from "../iam";
import { projectEnvironment, renderBuildspec, type BuildEnvironment } from "../pipeline";
import { pulumiCliVersion } from "../pipeline/buildspecs/pulumi-cli";
import { pullRequestFilterGroups } from "./branch-filters";
import { previewBuildspec } from "./preview-buildspec";
import { previewRolePolicy, s3StateLocation } from "./preview-permissions";
import { pullRequestBuildSecrets, trustedRoles } from "./pull-request-build";

export interface PullRequestPreviewsArgs {
  /** The stack the previews run `pulumi preview` on. */
  readonly stack: string;
  /** The repository on GitHub whose pull requests are previewed, as owner/name. */
  readonly repository: string;
  /** The branch whose pull requests are previewed (their base). */
  readonly branch: string;
  /** Compute type, image and timeout of the preview builds. */
  readonly environment: BuildEnvironment;
  /** Days the build logs are kept. */
  readonly logRetentionDays: number;
  /**
   * The stack's self-managed state backend (s3://, azblob://, gs://, file://).
   * @default Pulumi Cloud, logged in to with `pulumiAccessToken`
   */
  readonly backendUrl?: string;
  /** Pulumi Cloud access token (secret); needed without `backendUrl`. */
  readonly pulumiAccessToken?: pulumi.Output<string>;
  /** The stack's config passphrase (secret), which decrypts its config for the preview. */
  readonly pulumiConfigPassphrase: pulumi.Output<string>;
  /** GitHub token (secret) CodeBuild clones the repository, reports the status and creates its webhook with. */
  readonly sourceToken: pulumi.Output<string>;
  /** Fine-grained GitHub token (secret) with `pull-requests: write` only: the build's GITHUB_TOKEN, which comments. */
  readonly commentToken: pulumi.Output<string>;
  /**
   * Numeric GitHub user ids whose pull-request events start a preview (CodeBuild's ACTOR_ACCOUNT_ID filter).
   * @default [] (anyone; authors without write access still wait for a maintainer's `/codebuild_run`)
   */
  readonly actorIds?: readonly string[];
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
    const parent = { parent: this };
    // The same kinds of secret the pipeline's projects read, held apart: each role reads only its own project's secrets.
    const { githubTokenArn, secretArns, environmentVariables, logGroup } = pullRequestBuildSecrets(
      name,
      {
        sourceToken: args.sourceToken,
        buildToken: args.commentToken,
        accessToken: args.pulumiAccessToken,
        configPassphrase: args.pulumiConfigPassphrase,
        logRetentionDays: args.logRetentionDays,
      },
      parent,
    );
    const role = serviceRole(
      `${name}-role`,
      {
        service: "codebuild.amazonaws.com",
        description: `Runs pulumi preview of the ${args.stack} stack on pull requests`,
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
                state: s3StateLocation(args.backendUrl),
              }),
            ),
          ),
      },
      parent,
    );

    const buildspec = previewBuildspec({
      stack: args.stack,
      repository: args.repository,
      backendUrl: args.backendUrl,
      pulumiVersion: pulumiCliVersion,
    });
    const project = new aws.codebuild.Project(
      `${name}-project`,
      {
        description: `Tests and pulumi preview of the ${args.stack} stack for pull requests against ${args.branch}`,
        serviceRole: role.arn,
        source: {
          type: "GITHUB",
          location: `https://github.com/${args.repository}.git`,
          gitCloneDepth: 1,
          reportBuildStatus: true,
          buildStatusConfig: { context: `pulumi preview (${args.stack})` },
          auth: { type: "SECRETS_MANAGER", resource: githubTokenArn },
          buildspec: renderBuildspec(buildspec),
        },
        artifacts: { type: "NO_ARTIFACTS" },
        // The pipeline's projects' environment: an arm64 image runs in an ARM container; secrets only by reference.
        environment: projectEnvironment(args.environment, environmentVariables),
        buildTimeout: args.environment.timeoutMinutes,
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
        filterGroups: pullRequestFilterGroups(args.branch, undefined, args.actorIds),
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
