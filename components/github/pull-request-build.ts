import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { StackSettings } from "../../stacks/settings";
import { DeployCredentials, RepositoryCredential } from "../pipeline";
import type { DeploySecret } from "../pipeline/plan";

/** The environment variable the Pulumi CLI reads each backend credential from. */
const credentialVariables: Readonly<Record<DeploySecret, string>> = {
  pulumiAccessToken: "PULUMI_ACCESS_TOKEN",
  pulumiConfigPassphrase: "PULUMI_CONFIG_PASSPHRASE",
};

// The repository webhook delivers pull requests of anyone who can open one: people without write access wait for a
// maintainer's /codebuild_run comment, because the build holds the stack's credentials.
export const trustedRoles = ["GITHUB_WRITE", "GITHUB_MAINTAIN", "GITHUB_ADMIN"];

/** What a CodeBuild project that runs the Pulumi CLI for pull requests reads, held by its own component. */
export interface PullRequestBuildSecrets {
  /** The GitHub token as CodeBuild's source credential. */
  readonly githubTokenArn: pulumi.Output<string>;
  /** ARNs of every secret the project reads: the GitHub token's first, then the backend credentials. */
  readonly secretArns: readonly pulumi.Output<string>[];
  /** The project's variables: every secret by reference (SECRETS_MANAGER), never its value. */
  readonly environmentVariables: aws.types.input.codebuild.ProjectEnvironmentEnvironmentVariable[];
  /** The project's log group. */
  readonly logGroup: aws.cloudwatch.LogGroup;
}

/**
 * The GitHub token and Pulumi backend credentials of a pull-request build as its own Secrets Manager secrets (each
 * role reads only its own project's), and its log group.
 */
export function pullRequestBuildSecrets(
  name: string,
  settings: StackSettings,
  opts: pulumi.CustomResourceOptions & pulumi.ComponentResourceOptions,
): PullRequestBuildSecrets {
  if (!settings.github.token)
    throw new Error(
      "pull-request builds need github:token: they clone, report the status and comment",
    );
  const githubToken = new RepositoryCredential(
    `${name}-github-token`,
    { token: settings.github.token },
    opts,
  );
  const credentials = new DeployCredentials(
    `${name}-credentials`,
    {
      values: {
        pulumiAccessToken: settings.deploy.accessToken,
        pulumiConfigPassphrase: settings.deploy.configPassphrase,
      },
    },
    opts,
  );
  const credentialArns = Object.entries(credentials.secretArns) as Array<
    [DeploySecret, pulumi.Output<string>]
  >;
  const logGroup = new aws.cloudwatch.LogGroup(
    `${name}-logs`,
    { retentionInDays: settings.retention.logDays },
    opts,
  );
  return {
    githubTokenArn: githubToken.secretArn,
    secretArns: [githubToken.secretArn, ...credentialArns.map(([, arn]) => arn)],
    environmentVariables: [
      {
        name: "GITHUB_TOKEN",
        type: "SECRETS_MANAGER",
        value: pulumi.interpolate`${githubToken.secretArn}:Token`,
      },
      ...credentialArns.map(([secret, arn]) => ({
        name: credentialVariables[secret],
        type: "SECRETS_MANAGER",
        value: arn,
      })),
    ],
    logGroup,
  };
}
