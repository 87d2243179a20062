import type { Account, PolicyDocument } from "../iam";

const codestarNotifications = "codestar-notifications.amazonaws.com";
const cloudwatch = "cloudwatch.amazonaws.com";

/** ARN pattern of every CloudWatch alarm of the account in the region. */
export const alarmsOf = ({ partition, region, accountId }: Account) =>
  `arn:${partition}:cloudwatch:${region}:${accountId}:alarm:*`;

// Both publishers act only for this account (no confused deputy); CloudWatch only for its alarms.
const publisherConditions = (account: Account) => ({
  [codestarNotifications]: { StringEquals: { "aws:SourceAccount": account.accountId } },
  [cloudwatch]: {
    StringEquals: { "aws:SourceAccount": account.accountId },
    ArnLike: { "aws:SourceArn": alarmsOf(account) },
  },
});

/** Who may publish to the topic: CodeStar Notifications and this account's CloudWatch alarms, nothing else. */
export function topicPolicy(topicArn: string, account: Account): PolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: Object.entries(publisherConditions(account)).map(([service, condition]) => ({
      Sid: `Publish-${service.split(".")[0]}`,
      Effect: "Allow",
      Principal: { Service: service },
      Action: "sns:Publish",
      Resource: topicArn,
      Condition: condition,
    })),
  };
}

/**
 * The topic key: the account administers it (and grants its use through IAM); the two publishers may make and read
 * data keys, which SNS needs to encrypt what they publish.
 */
export function notificationKeyPolicy(account: Account): PolicyDocument {
  const { partition, accountId, region } = account;
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "AccountAdministers",
        Effect: "Allow",
        Principal: { AWS: `arn:${partition}:iam::${accountId}:root` },
        Action: "kms:*",
        Resource: "*",
      },
      {
        Sid: "CodeStarNotificationsPublishes",
        Effect: "Allow",
        Principal: { Service: codestarNotifications },
        Action: ["kms:GenerateDataKey*", "kms:Decrypt"],
        Resource: "*",
        // CodeStar Notifications uses the key only through SNS in this region.
        Condition: { StringEquals: { "kms:ViaService": `sns.${region}.amazonaws.com` } },
      },
      {
        Sid: "CloudWatchAlarmsPublish",
        Effect: "Allow",
        Principal: { Service: cloudwatch },
        Action: ["kms:GenerateDataKey*", "kms:Decrypt"],
        Resource: "*",
        Condition: publisherConditions(account)[cloudwatch],
      },
    ],
  };
}

/** What the Slack notifier needs at run time, by ARN. */
export interface NotifierResources {
  readonly logGroupArn: string;
  readonly webhookSecretArn: string;
  readonly keyArn: string;
  readonly deadLetterQueueArn: string;
  readonly region: string;
}

/** The Slack notifier may write its logs, read its webhook secret (decrypting it through Secrets Manager) and fill its dead-letter queue. */
export function notifierPolicy(resources: NotifierResources): PolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "WriteLogs",
        Effect: "Allow",
        Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
        Resource: `${resources.logGroupArn}:*`,
      },
      {
        Sid: "ReadWebhookUrl",
        Effect: "Allow",
        Action: "secretsmanager:GetSecretValue",
        Resource: resources.webhookSecretArn,
      },
      {
        Sid: "DecryptWebhookUrl",
        Effect: "Allow",
        Action: "kms:Decrypt",
        Resource: resources.keyArn,
        Condition: {
          StringEquals: { "kms:ViaService": `secretsmanager.${resources.region}.amazonaws.com` },
        },
      },
      {
        Sid: "SetAsideUndeliverable",
        Effect: "Allow",
        Action: "sqs:SendMessage",
        Resource: resources.deadLetterQueueArn,
      },
    ],
  };
}
