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

/** The credentials a CodeBuild project that runs the Pulumi CLI for pull requests is handed, all secret. */
export interface PullRequestBuildCredentials {
  /** GitHub token CodeBuild clones the repository, reports the status and creates its webhook with. */
  readonly sourceToken: pulumi.Output<string>;
  /**
   * Token the build's own steps get as GITHUB_TOKEN (a preview's comment).
   * @default the source token
   */
  readonly buildToken?: pulumi.Output<string>;
  /** Pulumi Cloud access token; absent for a self-managed backend. */
  readonly accessToken?: pulumi.Output<string>;
  /** The stack's config passphrase. */
  readonly configPassphrase?: pulumi.Output<string>;
  /** Days the build logs are kept. */
  readonly logRetentionDays: number;
}

/** A stack's own credentials for its pull-request builds: the GitHub token serves the source and the build steps. */
export function stackBuildCredentials(settings: StackSettings): PullRequestBuildCredentials {
  if (!settings.github.token)
    throw new Error(
      "pull-request builds need github:token: they clone, report the status and comment",
    );
  return {
    sourceToken: settings.github.token,
    accessToken: settings.deploy.accessToken,
    configPassphrase: settings.deploy.configPassphrase,
    logRetentionDays: settings.retention.logDays,
  };
}

/** What a CodeBuild project that runs the Pulumi CLI for pull requests reads, held by its own component. */
export interface PullRequestBuildSecrets {
  /** The source token as CodeBuild's source credential. */
  readonly githubTokenArn: pulumi.Output<string>;
  /** ARNs of every secret the project reads: the source token's first, then the build token's and the backend credentials. */
  readonly secretArns: readonly pulumi.Output<string>[];
  /** The project's variables: every secret by reference (SECRETS_MANAGER), never its value. */
  readonly environmentVariables: aws.types.input.codebuild.ProjectEnvironmentEnvironmentVariable[];
  /** The project's log group. */
  readonly logGroup: aws.cloudwatch.LogGroup;
}

/**
 * The GitHub tokens and Pulumi backend credentials of a pull-request build as its own Secrets Manager secrets (each
 * role reads only its own project's), and its log group.
 */
export function pullRequestBuildSecrets(
  name: string,
  credentials: PullRequestBuildCredentials,
  opts: pulumi.CustomResourceOptions & pulumi.ComponentResourceOptions,
): PullRequestBuildSecrets {
  const githubToken = new RepositoryCredential(
    `${name}-github-token`,
    { token: credentials.sourceToken },
    opts,
  );
  const buildToken =
    credentials.buildToken && ownSecret(`${name}-build-token`, credentials.buildToken, opts);
  const backend = new DeployCredentials(
    `${name}-credentials`,
    {
      values: {
        pulumiAccessToken: credentials.accessToken,
        pulumiConfigPassphrase: credentials.configPassphrase,
      },
    },
    opts,
  );
  const credentialArns = Object.entries(backend.secretArns) as Array<
    [DeploySecret, pulumi.Output<string>]
  >;
  const logGroup = new aws.cloudwatch.LogGroup(
    `${name}-logs`,
    { retentionInDays: credentials.logRetentionDays },
    opts,
  );
  return {
    githubTokenArn: githubToken.secretArn,
    secretArns: [
      githubToken.secretArn,
      ...(buildToken ? [buildToken] : []),
      ...credentialArns.map(([, arn]) => arn),
    ],
    environmentVariables: [
      {
        name: "GITHUB_TOKEN",
        type: "SECRETS_MANAGER",
        value: buildToken ?? pulumi.interpolate`${githubToken.secretArn}:Token`,
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

/** A token of the build's own steps in its own secret (the plain value); its ARN. */
function ownSecret(
  name: string,
  token: pulumi.Output<string>,
  opts: pulumi.CustomResourceOptions,
): pulumi.Output<string> {
  const secret = new aws.secretsmanager.Secret(
    name,
    {
      description: "GitHub token the pull-request build's steps use as GITHUB_TOKEN",
      recoveryWindowInDays: 7,
    },
    opts,
  );
  new aws.secretsmanager.SecretVersion(
    `${name}-value`,
    { secretId: secret.id, secretString: pulumi.secret(token) },
    opts,
  );
  return secret.arn;
}
