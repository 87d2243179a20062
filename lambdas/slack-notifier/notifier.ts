import type { Logger } from "@aws-lambda-powertools/logger";
import type { SNSEvent, SNSEventRecord } from "aws-lambda";
import type { DeadLetterQueue } from "./dead-letter-queue";
import { readNotification, type Notification } from "./notification";
import { statusOf } from "./pipeline-message";
import { slackMessage } from "./slack-message";
import { SlackDeliveryError, postToSlack, type DeliveryOptions } from "./slack-webhook";
import { MalformedMessageError } from "./sns-message";
import type { WebhookUrl } from "./webhook-url";

/** The part of the Powertools logger the notifier writes to. */
export type NotifierLog = Pick<Logger, "info" | "warn" | "error">;

export interface NotifierDependencies {
  /** Stack name shown in every message. */
  readonly environment: string;
  readonly webhookUrl: WebhookUrl;
  /** Receives messages that no retry could ever deliver. */
  readonly deadLetterQueue: DeadLetterQueue;
  readonly log: NotifierLog;
  /** Retry settings; tests replace `sleep` so no real backoff is waited for. */
  readonly delivery?: Partial<Omit<DeliveryOptions, "onRetry">>;
}

/** Announces each SNS record (pipeline event or alarm) in Slack; rejects when one could not be delivered, so Lambda retries the event. */
export type Notifier = (event: SNSEvent) => Promise<void>;

export function createNotifier(dependencies: NotifierDependencies): Notifier {
  const { log } = dependencies;

  async function setAside(original: unknown, reason: string, messageId?: string): Promise<void> {
    log.error({
      message: "Malformed SNS message: sent to the dead-letter queue, not retried",
      reason,
      messageId,
    });
    await dependencies.deadLetterQueue.send(JSON.stringify({ reason, record: original }));
  }

  async function announce(record: SNSEventRecord): Promise<void> {
    const messageId = record?.Sns?.MessageId;
    let notification: Notification;
    try {
      if (typeof record?.Sns?.Message !== "string")
        throw new MalformedMessageError("the record carries no SNS message text");
      notification = readNotification(record.Sns.Message);
    } catch (error) {
      if (!(error instanceof MalformedMessageError)) throw error;
      return setAside(record, error.message, messageId);
    }
    const { subject, fields } = loggedAs(notification);
    const about = { messageId, ...fields };
    const webhookUrl = await dependencies.webhookUrl.get();
    try {
      const attempts = await postToSlack(
        webhookUrl,
        slackMessage(notification, dependencies.environment),
        {
          ...dependencies.delivery,
          onRetry: (retry) =>
            log.warn({ message: "Slack post failed; retrying", ...about, ...retry }),
        },
      );
      log.info({ message: `${subject} announced in Slack`, ...about, attempts });
    } catch (error) {
      // A refusing webhook may have been revoked: read the secret again on the next try.
      if (error instanceof SlackDeliveryError && error.permanent) dependencies.webhookUrl.forget();
      log.error({
        message: `${subject} not delivered to Slack: left to Lambda's retries and dead-letter queue`,
        ...about,
        reason: (error as Error).message,
      });
      throw error;
    }
  }

  return async (event) => {
    if (!Array.isArray(event?.Records))
      return setAside(event, "the event is not an SNS event (it has no Records list)");
    // SNS invokes with one record; with more, every record is tried before the event is handed back for retry.
    const failures: unknown[] = [];
    for (const record of event.Records) {
      await announce(record).catch((error: unknown) => failures.push(error));
    }
    if (failures.length === 1) throw failures[0];
    if (failures.length > 1)
      throw new AggregateError(
        failures,
        `${failures.length} of ${event.Records.length} notifications were not delivered to Slack`,
      );
  };
}

// Log lines name a notification by what an operator searches for: the pipeline and its status, or the alarm and its state.
function loggedAs(notification: Notification): {
  subject: string;
  fields: Record<string, string | undefined>;
} {
  if (notification.kind === "alarm")
    return { subject: "Alarm", fields: { alarm: notification.alarm, state: notification.state } };
  if (notification.kind === "drift")
    return {
      subject: "Drift",
      fields: { stack: notification.stack, resources: String(notification.resources.length) },
    };
  return {
    subject: "Pipeline event",
    fields: {
      pipeline: notification.pipeline,
      status: statusOf(notification).label,
      stage: notification.stage,
    },
  };
}
