import { Webhook as PipelineWebhook } from "@pulumi/aws/codepipeline/webhook";
import { RepositoryWebhook } from "@pulumi/github/repositoryWebhook";
import { validateResourceOfType, type ResourceValidationPolicy } from "@pulumi/policy";
import { isSetOrUnknown, whenKnown } from "../preview";

// CodeBuild webhooks (aws:codebuild/webhook:Webhook) need no rule: CodeBuild verifies GitHub's signature itself.

/** The authenticationConfiguration setting each accepted CodePipeline webhook authentication needs. */
const requiredSettingByAuthentication: Readonly<Record<string, "secretToken" | "allowedIpRange">> =
  { GITHUB_HMAC: "secretToken", IP: "allowedIpRange" };

export const pipelineWebhookAuthenticated: ResourceValidationPolicy = {
  name: "pipeline-webhook-authenticated",
  description:
    "CodePipeline webhooks authenticate their callers: GITHUB_HMAC with a secret token, or IP with an allowed range; never UNAUTHENTICATED.",
  enforcementLevel: "mandatory",
  validateResource: validateResourceOfType(PipelineWebhook, (webhook, _args, reportViolation) => {
    const requiredSetting = requiredSettingByAuthentication[webhook.authentication];
    if (!requiredSetting) {
      reportViolation(
        `webhook authentication is ${webhook.authentication ?? "unset"}: use GITHUB_HMAC with a secret token (or IP with an allowed range).`,
      );
      return;
    }
    const setting = whenKnown(() => webhook.authenticationConfiguration?.[requiredSetting]);
    if (!isSetOrUnknown(setting))
      reportViolation(
        `webhook authentication ${webhook.authentication} needs authenticationConfiguration.${requiredSetting}.`,
      );
  }),
};

export const githubWebhookAuthenticated: ResourceValidationPolicy = {
  name: "github-webhook-authenticated",
  description:
    "GitHub repository webhooks sign their deliveries with a secret and verify the receiver's TLS certificate.",
  enforcementLevel: "mandatory",
  validateResource: validateResourceOfType(RepositoryWebhook, (webhook, _args, reportViolation) => {
    if (!isSetOrUnknown(whenKnown(() => webhook.configuration?.secret)))
      reportViolation(
        "GitHub webhook must set configuration.secret so that the receiver can verify each delivery's signature.",
      );
    if (whenKnown(() => webhook.configuration?.insecureSsl) === true)
      reportViolation(
        "GitHub webhook must not set configuration.insecureSsl: deliveries must verify the receiver's TLS certificate.",
      );
  }),
};
