import * as aws from "@pulumi/aws";
import * as github from "@pulumi/github";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import type { StackSettings } from "../../stacks";
import { pushFilters } from "./branch-filters";

export interface WebhooksArgs {
  /** The stack's settings: repository, branch, GitHub owner and token, and the webhook secret when one is configured. */
  readonly settings: StackSettings;
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
    const { settings } = args;
    const secret = settings.github.webhookSecret ?? generatedSecret(`${name}-secret`, this);

    const pipelineWebhook = new aws.codepipeline.Webhook(
      `${name}-pipeline`,
      {
        targetPipeline: args.pipelineName,
        targetAction: args.sourceActionName,
        authentication: "GITHUB_HMAC",
        authenticationConfiguration: { secretToken: secret },
        filters: pushFilters(settings.branch),
      },
      { parent: this },
    );
    this.pipelineWebhookUrl = pulumi.secret(pipelineWebhook.url);

    const provider = new github.Provider(
      `${name}-github`,
      { owner: settings.github.owner, token: settings.github.token },
      { parent: this },
    );
    const repositoryWebhook = new github.RepositoryWebhook(
      `${name}-repository`,
      {
        repository: settings.repository.name,
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
