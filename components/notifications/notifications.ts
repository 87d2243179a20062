import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { pipelineEvents } from "./pipeline-events";
import { currentAccount, type RolePlacement } from "../iam";
import { notificationKeyPolicy, topicPolicy } from "./policies";
import { SlackNotifier } from "./slack-notifier";

/** Who hears of pipeline runs: e-mail addresses and a Slack incoming webhook. */
export interface NotificationRecipients {
  /** Addresses subscribed to the topic by e-mail (each confirms once). @default [] */
  readonly emails?: readonly string[];
  /** Slack incoming webhook URL, a secret; without it there is no Slack notifier. @default no Slack notifier */
  readonly slackWebhookUrl?: pulumi.Input<string>;
}

export interface NotificationsArgs extends NotificationRecipients {
  /** The environment the notifications speak of, e.g. `production`: it names the topic and the key. */
  readonly environment: string;
  /** AWS region of the topic, the key and the Slack notifier. */
  readonly region: string;
  /** The pipeline whose runs and approvals are announced. */
  readonly pipelineArn: pulumi.Input<string>;
  /** Retention of the Slack notifier's log group, in days (a CloudWatch retention period). */
  readonly logRetentionDays: number;
  /** Path and permissions boundary of the notifier's role. */
  readonly roles: RolePlacement;
}

/** Whether there is anyone to tell: a Slack webhook or at least one e-mail address. Without, no notifications exist. */
export function notificationsWanted(recipients: NotificationRecipients): boolean {
  return recipients.slackWebhookUrl !== undefined || (recipients.emails ?? []).length > 0;
}

/**
 * Pipeline notifications: an encrypted SNS topic that CodeStar Notifications (for the pipeline) and this account's
 * CloudWatch alarms publish to, delivered to Slack through a Lambda function and to e-mail subscribers.
 */
export class Notifications extends pulumi.ComponentResource {
  /** The topic; CloudWatch alarms of this account may publish to it. */
  public readonly topicArn: pulumi.Output<string>;
  /** The KMS key the topic is encrypted with: a publisher needs it too. */
  public readonly keyArn: pulumi.Output<string>;
  /** The Slack notifier, when the stack has a webhook URL. */
  public readonly slackNotifier?: SlackNotifier;

  constructor(name: string, args: NotificationsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("pipelines:notifications:Notifications", name, {}, opts);
    const child = { parent: this };
    const { environment, region } = args;

    const account = currentAccount(region, child);

    const key = new aws.kms.Key(
      `${name}-key`,
      {
        description: `Encrypts ${environment} pipeline notifications and the Slack webhook URL`,
        enableKeyRotation: true,
        policy: account.apply((a) => JSON.stringify(notificationKeyPolicy(a))),
      },
      child,
    );

    const topic = new aws.sns.Topic(
      `${name}-topic`,
      {
        displayName: `${environment} pipeline`,
        kmsMasterKeyId: key.arn,
      },
      child,
    );

    const policy = new aws.sns.TopicPolicy(
      `${name}-topic-policy`,
      {
        arn: topic.arn,
        policy: pulumi
          .all([topic.arn, account])
          .apply(([topicArn, a]) => JSON.stringify(topicPolicy(topicArn, a))),
      },
      child,
    );

    // CodeStar Notifications checks it may publish when the rule is made: the topic policy comes first.
    new aws.codestarnotifications.NotificationRule(
      `${name}-pipeline`,
      {
        resource: args.pipelineArn,
        detailType: "FULL",
        eventTypeIds: [...pipelineEvents],
        targets: [{ address: topic.arn, type: "SNS" }],
      },
      { ...child, dependsOn: [policy] },
    );

    for (const email of args.emails ?? []) {
      new aws.sns.TopicSubscription(
        `${name}-email-${email}`,
        { topic: topic.arn, protocol: "email", endpoint: email },
        child,
      );
    }

    if (args.slackWebhookUrl !== undefined) {
      this.slackNotifier = new SlackNotifier(
        `${name}-slack`,
        {
          environment,
          webhookUrl: args.slackWebhookUrl,
          topicArn: topic.arn,
          keyArn: key.arn,
          logRetentionDays: args.logRetentionDays,
          region,
          roles: args.roles,
        },
        child,
      );
    }

    this.topicArn = topic.arn;
    this.keyArn = key.arn;
    this.registerOutputs({ topicArn: this.topicArn, keyArn: this.keyArn });
  }
}
