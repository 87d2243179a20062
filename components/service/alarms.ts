import type * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";

/** What the alarms watch. */
export interface AlarmTargets {
  readonly apiId: pulumi.Input<string>;
  readonly apiStage: string;
  readonly apiFunctionName: pulumi.Input<string>;
  readonly databaseIdentifier: pulumi.Input<string>;
  /** An instance's metrics are per DBInstanceIdentifier, a cluster's per DBClusterIdentifier. */
  readonly databaseEngine: "postgres" | "aurora-serverless-v2";
  readonly allocatedStorageGb: number;
}

/** One alarm, named by what it watches, ready to render as an aws.cloudwatch.MetricAlarm. */
export interface AlarmDefinition {
  readonly name: string;
  readonly args: aws.cloudwatch.MetricAlarmArgs;
}

const fiveMinutes = 300;
const gib = 1024 ** 3;
/** Percent of requests answered 5xx above which the API alarms. */
export const api5xxRatePercent = 5;
/** Average database CPU, in percent, above which the database alarms. */
export const databaseCpuPercent = 80;
/** Free storage, as a share of the allocated storage, below which the database alarms. */
export const freeStorageShare = 0.1;

/**
 * The keys of the service's alarms on a database engine, in the order `serviceAlarms` returns them (a test keeps the
 * two in step). Aurora grows its storage by itself, so an Aurora database has no free-storage alarm.
 */
export function serviceAlarmKeys(engine: AlarmTargets["databaseEngine"]): readonly string[] {
  return [
    "api-5xx-rate",
    "api-function-errors",
    "api-function-throttles",
    "database-cpu",
    ...(engine === "postgres" ? ["database-free-storage"] : []),
  ];
}

/** An alarm's physical name: known before the alarm exists, so the pipeline can watch it by name after a deploy. */
export const serviceAlarmName = (prefix: string, key: string) => `${prefix}-${key}`;

/**
 * The service's alarms: API 5xx rate, the API function's errors and throttles, database CPU and free storage.
 * With a topic they notify it on alarm and on recovery; without one they still exist, with no actions.
 * Missing data (no traffic) is not a breach, so an idle stack stays quiet.
 */
export function serviceAlarms(t: AlarmTargets, topicArn?: pulumi.Input<string>): AlarmDefinition[] {
  const actions = topicArn ? [topicArn] : [];
  const common = {
    alarmActions: actions,
    okActions: actions,
    treatMissingData: "notBreaching",
  } as const;
  const lambda = (metricName: string, what: string): AlarmDefinition => ({
    name: `api-function-${metricName.toLowerCase()}`,
    args: {
      ...common,
      alarmDescription: `The API function ${what} in the last 5 minutes.`,
      namespace: "AWS/Lambda",
      metricName,
      dimensions: { FunctionName: t.apiFunctionName },
      statistic: "Sum",
      period: fiveMinutes,
      evaluationPeriods: 1,
      comparisonOperator: "GreaterThanThreshold",
      threshold: 0,
    },
  });
  const apiMetric = (id: string, metricName: string) => ({
    id,
    metric: {
      namespace: "AWS/ApiGateway",
      metricName,
      dimensions: { ApiId: t.apiId, Stage: t.apiStage },
      stat: "Sum",
      period: fiveMinutes,
    },
    returnData: false,
  });
  const database: Record<string, pulumi.Input<string>> = t.databaseEngine === "postgres"
    ? { DBInstanceIdentifier: t.databaseIdentifier }
    : { DBClusterIdentifier: t.databaseIdentifier };
  const alarms: AlarmDefinition[] = [
    {
      name: "api-5xx-rate",
      args: {
        ...common,
        alarmDescription: `More than ${api5xxRatePercent}% of API requests failed with a 5xx status in the last 5 minutes.`,
        metricQueries: [
          apiMetric("errors", "5xx"),
          apiMetric("requests", "Count"),
          {
            id: "rate",
            expression: "IF(requests > 0, 100 * errors / requests, 0)",
            label: "5xx rate (%)",
            returnData: true,
          },
        ],
        evaluationPeriods: 1,
        comparisonOperator: "GreaterThanThreshold",
        threshold: api5xxRatePercent,
      },
    },
    lambda("Errors", "raised errors"),
    lambda("Throttles", "was throttled"),
    {
      name: "database-cpu",
      args: {
        ...common,
        alarmDescription: `Database CPU averaged above ${databaseCpuPercent}% for 15 minutes.`,
        namespace: "AWS/RDS",
        metricName: "CPUUtilization",
        dimensions: database,
        statistic: "Average",
        period: fiveMinutes,
        evaluationPeriods: 3,
        comparisonOperator: "GreaterThanThreshold",
        threshold: databaseCpuPercent,
      },
    },
    {
      name: "database-free-storage",
      args: {
        ...common,
        alarmDescription: `Database free storage fell below ${freeStorageShare * 100}% of the ${t.allocatedStorageGb} GiB allocated.`,
        namespace: "AWS/RDS",
        metricName: "FreeStorageSpace",
        dimensions: { DBInstanceIdentifier: t.databaseIdentifier },
        statistic: "Minimum",
        period: fiveMinutes,
        evaluationPeriods: 1,
        comparisonOperator: "LessThanThreshold",
        threshold: Math.round(t.allocatedStorageGb * gib * freeStorageShare),
      },
    },
  ];
  const keys = serviceAlarmKeys(t.databaseEngine);
  return alarms.filter((alarm) => keys.includes(alarm.name));
}
