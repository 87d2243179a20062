import type * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";

const fiveMinutes = 300;

/**
 * The alarm on the Slack notifier's dead-letter queue: one visible message means a notification was set aside
 * (unreadable, or not delivered after every retry). It tells the notifications topic when it goes off and when the
 * queue is empty again, so e-mail subscribers hear of it even when Slack is what failed.
 */
export function deadLetterAlarm(
  environment: string,
  queueName: pulumi.Input<string>,
  topicArn: pulumi.Input<string>,
): aws.cloudwatch.MetricAlarmArgs {
  return {
    alarmDescription: `The ${environment} Slack notifier set notifications aside in its dead-letter queue; each message there says why.`,
    namespace: "AWS/SQS",
    metricName: "ApproximateNumberOfMessagesVisible",
    dimensions: { QueueName: queueName },
    statistic: "Maximum",
    period: fiveMinutes,
    evaluationPeriods: 1,
    comparisonOperator: "GreaterThanThreshold",
    threshold: 0,
    // SQS stops reporting an idle queue's metrics; the alarm keeps its state rather than calling unread messages OK.
    treatMissingData: "ignore",
    alarmActions: [topicArn],
    okActions: [topicArn],
  };
}
