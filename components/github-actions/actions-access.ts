import * as aws from "@pulumi/aws";
import * as github from "@pulumi/github";
import * as pulumi from "@pulumi/pulumi";
import { previewRolePolicy, s3StateLocation } from "../github/preview-permissions";
import { adminHeld, currentAccount, policyDocument, serviceRole, type RolePlacement } from "../iam";
import { deployPolicyStatements } from "../pipeline/deploy-policy";
import { githubOidc, githubOidcTrustPolicy, type GitHubRepository } from "./oidc";
import { environmentNames, previewNames, secretValues, type WorkflowValue } from "./workflow-names";

export interface ActionsAccessArgs {
  /** The stack: the name of its GitHub environment and the suffix of its preview's repository names. */
  readonly stack: string;
  /** The repository whose workflows may take the roles. */
  readonly repository: GitHubRepository;
  /** AWS region the workflows work in. */
  readonly region: string;
  /** The account's existing GitHub OIDC provider (an account has one per issuer). @default one this component creates */
  readonly oidcProviderArn?: pulumi.Input<string>;
  /** Path and permissions boundary of the roles; the deploy role goes under the admin path. */
  readonly roles: RolePlacement;
  /** Where the stack's state lives and what Pulumi needs to log in and decrypt its config. */
  readonly pulumi: {
    /** Self-managed backend URL (s3://...); the preview role reads an s3:// one. @default Pulumi Cloud */
    readonly backendUrl?: string;
    /** The stack's passphrase (secret). @default none set */
    readonly configPassphrase?: pulumi.Output<string>;
    /** Pulumi Cloud access token (secret). @default none set */
    readonly accessToken?: pulumi.Output<string>;
  };
  /** The deploy side, when GitHub Actions deploys the stack. @default previews only (the pipeline deploys) */
  readonly deploy?: {
    /** The only branch whose runs may enter the environment. */
    readonly branch: string;
    /** Who must approve each deploy; none means the branch rule alone. */
    readonly reviewers: { readonly users: readonly number[]; readonly teams: readonly number[] };
  };
}

/**
 * What GitHub Actions needs to preview (and, for a github-actions deployer, deploy) the stack, and nothing more: a
 * read-only preview role only pull_request runs of the repository may take, a deploy role only jobs in the
 * environment named after the stack may take, that environment's protection (its branch, its reviewers, no admin
 * bypass), and the variables and secrets the workflows read by name.
 */
export class ActionsAccess extends pulumi.ComponentResource {
  /** ARN of the OIDC provider the roles trust. */
  readonly oidcProviderArn: pulumi.Output<string>;
  /** ARN of the read-only preview role. */
  readonly previewRoleArn: pulumi.Output<string>;
  /** ARN of the deploy role; absent when the pipeline deploys. */
  readonly deployRoleArn?: pulumi.Output<string>;

  constructor(name: string, args: ActionsAccessArgs, opts?: pulumi.ComponentResourceOptions) {
    super("pipelines:github:ActionsAccess", name, {}, opts);
    const parent = { parent: this };
    const preview = previewNames(args.stack);
    const account = currentAccount(args.region, parent);
    this.oidcProviderArn = pulumi.output(
      args.oidcProviderArn ??
        // AWS validates GitHub's certificate against its own trusted CAs: no thumbprint (IAM user guide).
        new aws.iam.OpenIdConnectProvider(
          `${name}-oidc-provider`,
          { url: githubOidc.url, clientIdLists: [githubOidc.audience] },
          parent,
        ).arn,
    );
    const roleTrustedBy = (
      role: string,
      context: Parameters<typeof githubOidcTrustPolicy>[2],
      description: string,
      placement: RolePlacement,
      policy: pulumi.Output<string>,
    ) => {
      const created = serviceRole(
        `${name}-${role}-role`,
        {
          trustPolicy: this.oidcProviderArn.apply((arn) =>
            githubOidcTrustPolicy(arn, args.repository, context),
          ),
          description,
          placement,
        },
        parent,
      );
      new aws.iam.RolePolicy(`${name}-${role}-role-policy`, { role: created.id, policy }, parent);
      return created;
    };

    const previewRole = roleTrustedBy(
      "preview",
      { event: "pull_request" },
      `pulumi preview of the ${args.stack} stack from pull requests of ${args.repository.name}; reads only`,
      args.roles,
      account.apply((a) =>
        JSON.stringify(
          previewRolePolicy({
            partition: a.partition,
            secretArns: [],
            state: s3StateLocation(args.pulumi.backendUrl),
          }),
        ),
      ),
    );
    this.previewRoleArn = previewRole.arn;

    const values: Readonly<Record<WorkflowValue, pulumi.Input<string> | undefined>> = {
      deployRoleArn: undefined,
      region: args.region,
      stack: args.stack,
      backendUrl: args.pulumi.backendUrl,
      configPassphrase: args.pulumi.configPassphrase,
      accessToken: args.pulumi.accessToken,
    };
    const repository = args.repository.name;
    for (const [value, variableName] of Object.entries(preview) as Array<
      [keyof typeof preview, string]
    >) {
      const input = value === "previewRoleArn" ? previewRole.arn : values[value];
      if (input !== undefined)
        setWorkflowValue(`${name}-${variableName.toLowerCase().replace(/_/g, "-")}`, {
          repository,
          name: variableName,
          secret: secretValues.includes(value as WorkflowValue),
          value: input,
          parent: this,
        });
    }

    if (args.deploy) {
      const deployRole = roleTrustedBy(
        "deploy",
        { environment: args.stack },
        `pulumi up of the ${args.stack} stack from its GitHub environment; changed only by an administrator`,
        adminHeld(args.roles),
        account.apply((a) =>
          JSON.stringify(policyDocument(deployPolicyStatements(a, args.roles.scope))),
        ),
      );
      this.deployRoleArn = deployRole.arn;
      this.environment(name, args, args.deploy, { ...values, deployRoleArn: deployRole.arn });
    }
    this.registerOutputs({
      oidcProviderArn: this.oidcProviderArn,
      previewRoleArn: this.previewRoleArn,
      deployRoleArn: this.deployRoleArn,
    });
  }

  /** The environment named after the stack: its branch alone, its reviewers, no admin bypass, and what `up` reads. */
  private environment(
    name: string,
    args: ActionsAccessArgs,
    deploy: NonNullable<ActionsAccessArgs["deploy"]>,
    values: Readonly<Record<WorkflowValue, pulumi.Input<string> | undefined>>,
  ): void {
    const parent = { parent: this };
    const repository = args.repository.name;
    const reviewed = deploy.reviewers.users.length + deploy.reviewers.teams.length > 0;
    const environment = new github.RepositoryEnvironment(
      `${name}-environment`,
      {
        repository,
        environment: args.stack,
        canAdminsBypass: false,
        preventSelfReview: reviewed,
        reviewers: reviewed
          ? [{ users: [...deploy.reviewers.users], teams: [...deploy.reviewers.teams] }]
          : undefined,
        // Selected branches only: a pull_request run's ref (refs/pull/<n>/merge) matches no pattern.
        deploymentBranchPolicy: { customBranchPolicies: true, protectedBranches: false },
      },
      parent,
    );
    new github.RepositoryEnvironmentDeploymentPolicy(
      `${name}-environment-branch`,
      { repository, environment: environment.environment, branchPattern: deploy.branch },
      parent,
    );
    for (const [value, variableName] of Object.entries(environmentNames) as Array<
      [WorkflowValue, string]
    >) {
      const input = values[value];
      if (input !== undefined)
        setWorkflowValue(`${name}-environment-${variableName.toLowerCase().replace(/_/g, "-")}`, {
          repository,
          environment: environment.environment,
          name: variableName,
          secret: secretValues.includes(value),
          value: input,
          parent: this,
        });
    }
  }
}

/** One variable or secret the workflows read, in the repository or in one of its environments. */
function setWorkflowValue(
  resourceName: string,
  v: {
    readonly repository: string;
    readonly environment?: pulumi.Input<string>;
    readonly name: string;
    readonly secret: boolean;
    readonly value: pulumi.Input<string>;
    readonly parent: pulumi.Resource;
  },
): void {
  const opts = { parent: v.parent };
  const { repository, environment } = v;
  // The value stays a Pulumi secret up to the provider, which encrypts it for GitHub.
  const secret = { repository, secretName: v.name, value: pulumi.secret(v.value) };
  const variable = { repository, variableName: v.name, value: v.value };
  if (environment === undefined) {
    if (v.secret) new github.ActionsSecret(resourceName, secret, opts);
    else new github.ActionsVariable(resourceName, variable, opts);
  } else if (v.secret)
    new github.ActionsEnvironmentSecret(resourceName, { ...secret, environment }, opts);
  else new github.ActionsEnvironmentVariable(resourceName, { ...variable, environment }, opts);
}
