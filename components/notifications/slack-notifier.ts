import * as path from "node:path";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { deadLetterAlarm } from "./dead-letter-alarm";
import { serviceRole, type RolePlacement } from "../iam";
import { notifierPolicy } from "./policies";

/**
 * Where `npm run bundle` writes the notifier's code (lambdas/slack-notifier/ bundled by esbuild). Relative to the
 * working directory (the project, under pulumi up), so the path in the state is the same on every machine.
 */
export const slackNotifierBundle = path.relative(
  process.cwd(),
  path.join(__dirname, "..", "..", "dist", "lambdas", "slack-notifier", "handler.js"),
);

// Worst case of the function's own retries is about 30 s (lambdas/slack-notifier/slack-webhook.ts); this leaves room.
const timeoutSeconds = 60;
// Longest SQS keeps a message: time to notice and replay what Slack never got.
const fourteenDays = 14 * 24 * 60 * 60;

export interface SlackNotifierArgs {
  /** Stack name, shown in every Slack message. */
  readonly environment: string;
  /** Slack incoming-webhook URL; a secret, stored in Secrets Manager and never in the function's environment. */
  readonly webhookUrl: pulumi.Input<string>;
  /** The SNS topic whose pipeline events and alarms the function announces; the dead-letter queue's alarm notifies it. */
  readonly topicArn: pulumi.Input<string>;
  /** KMS key that encrypts the webhook secret. */
  readonly keyArn: pulumi.Input<string>;
  /** Days the function's logs are kept. */
  readonly logRetentionDays: number;
  /** Region of the stack, for the Secrets Manager condition on the key. */
  readonly region: string;
  /** Path and permissions boundary of the function's role. */
  readonly roles: RolePlacement;
}

/**
 * The Lambda function that posts pipeline events and alarms from the topic to Slack. It reads the webhook URL from
 * Secrets Manager once per cold start; what it cannot read, or deliver after its own and Lambda's retries, lands in a
 * dead-letter queue, whose alarm tells the topic.
 */
export class SlackNotifier extends pulumi.ComponentResource {
  /** The function subscribed to the topic. */
  public readonly functionArn: pulumi.Output<string>;
  /** Secrets Manager secret holding the webhook URL. */
  public readonly webhookSecretArn: pulumi.Output<string>;
  /** Queue of events the function could not deliver or read. */
  public readonly deadLetterQueueUrl: pulumi.Output<string>;

  constructor(name: string, args: SlackNotifierArgs, opts?: pulumi.ComponentResourceOptions) {
    super("pipelines:notifications:SlackNotifier", name, {}, opts);
    const child = { parent: this };

    const webhookSecret = new aws.secretsmanager.Secret(
      `${name}-webhook-url`,
      {
        description: `Slack incoming-webhook URL for ${args.environment} pipeline notifications`,
        kmsKeyId: args.keyArn,
      },
      child,
    );
    const webhookSecretVersion = new aws.secretsmanager.SecretVersion(
      `${name}-webhook-url`,
      {
        secretId: webhookSecret.id,
        secretString: pulumi.secret(args.webhookUrl),
      },
      child,
    );

    const deadLetterQueue = new aws.sqs.Queue(
      `${name}-dead-letters`,
      {
        sqsManagedSseEnabled: true,
        messageRetentionSeconds: fourteenDays,
      },
      child,
    );
    // The alarm's own messages reach e-mail subscribers too; it notifies once per change of state, so a failing notifier cannot loop.
    new aws.cloudwatch.MetricAlarm(
      `${name}-dead-letters-alarm`,
      deadLetterAlarm(args.environment, deadLetterQueue.name, args.topicArn),
      child,
    );

    const logGroup = new aws.cloudwatch.LogGroup(
      `${name}-logs`,
      { retentionInDays: args.logRetentionDays },
      child,
    );

    const role = serviceRole(
      `${name}-role`,
      { service: "lambda.amazonaws.com", placement: args.roles },
      child,
    );
    const rolePolicy = new aws.iam.RolePolicy(
      `${name}-role-policy`,
      {
        role: role.id,
        policy: pulumi
          .all([logGroup.arn, webhookSecret.arn, args.keyArn, deadLetterQueue.arn])
          .apply(([logGroupArn, webhookSecretArn, keyArn, deadLetterQueueArn]) =>
            JSON.stringify(
              notifierPolicy({
                logGroupArn,
                webhookSecretArn,
                keyArn,
                deadLetterQueueArn,
                region: args.region,
              }),
            ),
          ),
      },
      child,
    );

    const fn = new aws.lambda.Function(
      `${name}-function`,
      {
        description: `Posts ${args.environment} pipeline events and alarms to Slack`,
        runtime: aws.lambda.Runtime.NodeJS22dX,
        architectures: ["arm64"],
        handler: "handler.handler",
        code: new pulumi.asset.AssetArchive({
          "handler.js": new pulumi.asset.FileAsset(slackNotifierBundle),
        }),
        role: role.arn,
        memorySize: 256,
        timeout: timeoutSeconds,
        loggingConfig: { logFormat: "Text", logGroup: logGroup.name },
        environment: {
          variables: {
            SLACK_SECRET_ARN: webhookSecret.arn,
            ENVIRONMENT: args.environment,
            DEAD_LETTER_QUEUE_URL: deadLetterQueue.url,
          },
        },
        // Asynchronous invocations (SNS) that fail after Lambda's retries are kept here.
        deadLetterConfig: { targetArn: deadLetterQueue.arn },
      },
      { ...child, dependsOn: [rolePolicy, webhookSecretVersion] },
    );

    new aws.lambda.FunctionEventInvokeConfig(
      `${name}-retries`,
      { functionName: fn.name, maximumRetryAttempts: 2 },
      child,
    );

    const permission = new aws.lambda.Permission(
      `${name}-invoked-by-topic`,
      {
        action: "lambda:InvokeFunction",
        function: fn.name,
        principal: "sns.amazonaws.com",
        sourceArn: args.topicArn,
      },
      child,
    );

    new aws.sns.TopicSubscription(
      `${name}-subscription`,
      {
        topic: args.topicArn,
        protocol: "lambda",
        endpoint: fn.arn,
      },
      { ...child, dependsOn: [permission] },
    );

    this.functionArn = fn.arn;
    this.webhookSecretArn = webhookSecret.arn;
    this.deadLetterQueueUrl = deadLetterQueue.url;
    this.registerOutputs({
      functionArn: this.functionArn,
      webhookSecretArn: this.webhookSecretArn,
      deadLetterQueueUrl: this.deadLetterQueueUrl,
    });
  }
}
