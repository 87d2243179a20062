import * as z from "zod";
import { extra, text, validated } from "./sns-message";

/** The states a CloudWatch alarm can be in, as CloudWatch names them. */
export const alarmStates = ["ALARM", "OK", "INSUFFICIENT_DATA"] as const;
export type AlarmState = (typeof alarmStates)[number];

/** A CloudWatch alarm's state change, reduced to what a Slack reader needs. */
export interface AlarmNotification {
  readonly kind: "alarm";
  readonly alarm: string;
  readonly description?: string;
  readonly state: AlarmState;
  readonly previousState: AlarmState;
  /** CloudWatch's explanation of the change, with the datapoints that caused it. */
  readonly reason: string;
  /** What the alarm watches, e.g. "AWS/Lambda Errors (FunctionName=cupping-api)"; absent when the message does not say. */
  readonly metric?: string;
  /** The alarm's page in the CloudWatch console of its region. */
  readonly alarmUrl: string;
}

const state = z.enum(alarmStates);
const dimensions = z.array(z.object({ name: text, value: z.string() }));
const watchedMetric = z.object({
  Namespace: text,
  MetricName: text,
  Dimensions: extra(dimensions),
});
// "Region" in the message is a display name ("EU (Ireland)"); only the alarm's ARN names the region's code.
const alarmArn = z
  .string()
  .regex(
    /^arn:aws[a-z-]*:cloudwatch:[a-z0-9-]+:\d{12}:alarm:./,
    "expected a CloudWatch alarm ARN, arn:aws:cloudwatch:<region>:<account>:alarm:<name>",
  );

/**
 * What CloudWatch publishes to an SNS topic when a metric alarm changes state. A single-metric alarm's Trigger names
 * its metric; a metric math alarm's Trigger lists Metrics, the expression and the metrics it reads.
 */
const alarmMessage = z.object({
  AlarmName: text,
  // Null when the alarm has no description.
  AlarmDescription: extra(text),
  AlarmArn: alarmArn,
  NewStateValue: state,
  OldStateValue: state,
  NewStateReason: text,
  Trigger: extra(
    z.object({
      Namespace: extra(text),
      MetricName: extra(text),
      Dimensions: extra(dimensions),
      Metrics: extra(
        z.array(
          z.object({
            Expression: extra(text),
            Label: extra(text),
            ReturnData: extra(z.boolean()),
            MetricStat: extra(z.object({ Metric: extra(watchedMetric) })),
          }),
        ),
      ),
    }),
  ),
});

type Trigger = NonNullable<z.infer<typeof alarmMessage>["Trigger"]>;

/** Reads a CloudWatch alarm notification from an SNS message's JSON; throws MalformedMessageError naming what is wrong. */
export function alarmNotificationFrom(parsed: object): AlarmNotification {
  const message = validated(alarmMessage, parsed, "a CloudWatch alarm notification");
  return {
    kind: "alarm",
    alarm: message.AlarmName,
    description: message.AlarmDescription,
    state: message.NewStateValue,
    previousState: message.OldStateValue,
    reason: message.NewStateReason,
    metric: message.Trigger && metricOf(message.Trigger),
    alarmUrl: alarmUrl(message.AlarmArn.split(":")[3], message.AlarmName),
  };
}

// A single-metric alarm names its metric; a metric math alarm, what its expression returns and the metrics it reads.
function metricOf(trigger: Trigger): string | undefined {
  if (trigger.Namespace && trigger.MetricName)
    return metricName({ ...trigger, Namespace: trigger.Namespace, MetricName: trigger.MetricName });
  const queries = trigger.Metrics ?? [];
  const returned = queries.find((query) => query.ReturnData);
  const reads = [
    ...new Set(
      queries.flatMap((query) =>
        query.MetricStat?.Metric ? [metricName(query.MetricStat.Metric)] : [],
      ),
    ),
  ].join(", ");
  return (
    [returned?.Label ?? returned?.Expression, reads].filter(Boolean).join(" from ") || undefined
  );
}

function metricName(metric: z.infer<typeof watchedMetric>): string {
  const dimensions = metric.Dimensions?.map(
    (dimension) => `${dimension.name}=${dimension.value}`,
  ).join(", ");
  return `${metric.Namespace} ${metric.MetricName}${dimensions ? ` (${dimensions})` : ""}`;
}

/** The CloudWatch console page of one alarm. */
function alarmUrl(region: string, alarm: string): string {
  return `https://${region}.console.aws.amazon.com/cloudwatch/home?region=${region}#alarmsV2:alarm/${encodeURIComponent(alarm)}`;
}
