import * as aws from "@pulumi/aws";
import * as github from "@pulumi/github";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { pushFilters } from "./branch-filters";

export interface WebhooksArgs {
  /** The repository on GitHub that gets the push webhook. */
  readonly repository: { readonly owner: string; readonly name: string };
  /** The branch whose pushes start the pipeline. */
  readonly branch: string;
  /** GitHub token (secret) the GitHub provider creates the repository webhook with. */
  readonly githubToken: pulumi.Input<string>;
  /**
   * HMAC secret (secret) shared by the repository webhook and the CodePipeline webhook.
   * @default a generated 40-character secret of letters and digits
   */
  readonly secret?: pulumi.Input<string>;
  /** Name of the pipeline that pushes to the branch start. */
  readonly pipelineName: pulumi.Input<string>;
  /** Name of the pipeline's GitHub Source action, which the webhook triggers. */
  readonly sourceActionName: pulumi.Input<string>;
}

/**
 * Pushes to the stack's branch start its pipeline: a CodePipeline webhook that checks GitHub's HMAC signature and
 * the pushed ref, and the push webhook on the GitHub repository that calls it with the same secret.
 */
export class Webhooks extends pulumi.ComponentResource {
  /** The CodePipeline webhook's URL (secret: its query carries a token). */
  readonly pipelineWebhookUrl: pulumi.Output<string>;
  /** The repository webhook's id on GitHub. */
  readonly repositoryWebhookId: pulumi.Output<string>;

  constructor(name: string, args: WebhooksArgs, opts?: pulumi.ComponentResourceOptions) {
    super("pipelines:github:Webhooks", name, {}, opts);
    const secret = args.secret
      ? pulumi.secret(args.secret)
      : generatedSecret(`${name}-secret`, this);

    const pipelineWebhook = new aws.codepipeline.Webhook(
      `${name}-pipeline`,
      {
        targetPipeline: args.pipelineName,
        targetAction: args.sourceActionName,
        authentication: "GITHUB_HMAC",
        authenticationConfiguration: { secretToken: secret },
        filters: pushFilters(args.branch),
      },
      { parent: this },
    );
    this.pipelineWebhookUrl = pulumi.secret(pipelineWebhook.url);

    const provider = new github.Provider(
      `${name}-github`,
      { owner: args.repository.owner, token: args.githubToken },
      { parent: this },
    );
    const repositoryWebhook = new github.RepositoryWebhook(
      `${name}-repository`,
      {
        repository: args.repository.name,
        configuration: {
          url: this.pipelineWebhookUrl,
          contentType: "json",
          insecureSsl: false,
          secret,
        },
        events: ["push"],
        active: true,
      },
      { parent: this, provider },
    );
    this.repositoryWebhookId = repositoryWebhook.id;

    this.registerOutputs({
      pipelineWebhookUrl: this.pipelineWebhookUrl,
      repositoryWebhookId: this.repositoryWebhookId,
    });
  }
}

// Letters and digits only: CodePipeline ignores deliveries signed with secrets holding some special characters.
function generatedSecret(name: string, parent: pulumi.Resource): pulumi.Output<string> {
  const password = new random.RandomPassword(name, { length: 40, special: false }, { parent });
  return pulumi.secret(password.result);
}
