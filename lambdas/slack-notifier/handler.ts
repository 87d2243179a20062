import { Logger } from "@aws-lambda-powertools/logger";
import type { Context, SNSEvent } from "aws-lambda";
import { sqsDeadLetterQueue } from "./dead-letter-queue";
import { readNotifierEnvironment } from "./environment";
import { createNotifier, type Notifier } from "./notifier";
import { keptWebhookUrl, readWebhookUrlFromSecretsManager } from "./webhook-url";

const logger = new Logger({ serviceName: "slack-notifier" });

// Built on the first invocation and kept for the container's life: the webhook URL is read once per cold start.
let notifier: Notifier | undefined;

function productionNotifier(): Notifier {
  const settings = readNotifierEnvironment(process.env);
  return createNotifier({
    environment: settings.environment,
    webhookUrl: keptWebhookUrl(() => readWebhookUrlFromSecretsManager(settings.slackSecretArn)),
    deadLetterQueue: sqsDeadLetterQueue(settings.deadLetterQueueUrl),
    log: logger,
  });
}

/** SNS-subscribed entry point: posts CodePipeline notifications and CloudWatch alarms to Slack. */
export const handler = async (event: SNSEvent, context?: Context): Promise<void> => {
  if (context) logger.addContext(context);
  notifier ??= productionNotifier();
  await notifier(event);
};
