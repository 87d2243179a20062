import type { SNSEvent } from "aws-lambda";

// Shapes follow the "processed event" examples in the CodePipeline user guide (Monitoring CodePipeline events):
// CodeStar Notifications renames "detail-type" to "detailType" and adds notificationRuleArn and additionalAttributes.

export const region = "eu-west-1";
export const account = "123456789012";
export const pipeline = "cupping-log-dev";
export const executionId = "3f8a4c2e-1b7d-4e9a-a6c5-0d2f9b8e7a61";
export const commitId = "9c1e5b7a3d2f4e6a8b0c1d2e3f4a5b6c7d8e9f0a";
export const commitMessage =
  "Record the roast level of each cupping session\n\nThe tasting form asks for it first.";
export const topicArn = `arn:aws:sns:${region}:${account}:cupping-log-dev-pipeline-events`;

type DetailType =
  | "CodePipeline Pipeline Execution State Change"
  | "CodePipeline Stage Execution State Change"
  | "CodePipeline Action Execution State Change";

/** A CodeStar Notifications message (FULL detail) about the sample pipeline, built from a source commit. */
export function stateChangeNotification(
  detailType: DetailType,
  detail: Record<string, unknown>,
  additionalAttributes: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    account,
    detailType,
    region,
    source: "aws.codepipeline",
    time: "2025-03-14T09:26:53Z",
    notificationRuleArn: `arn:aws:codestar-notifications:${region}:${account}:notificationrule/5d3e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e`,
    detail: {
      pipeline,
      "execution-id": executionId,
      "start-time": "2025-03-14T09:20:11.412Z",
      version: 3.0,
      "pipeline-execution-attempt": 1.0,
      ...detail,
    },
    resources: [`arn:aws:codepipeline:${region}:${account}:${pipeline}`],
    additionalAttributes: {
      sourceActions: [
        {
          sourceActionName: "Source",
          sourceActionProvider: "S3",
          sourceActionVariables: {
            CommitId: commitId,
            CommitMessage: commitMessage,
            BranchName: "main",
          },
        },
      ],
      ...additionalAttributes,
    },
  };
}

export const executionSucceeded = stateChangeNotification(
  "CodePipeline Pipeline Execution State Change",
  { state: "SUCCEEDED" },
);

export const executionSuperseded = stateChangeNotification(
  "CodePipeline Pipeline Execution State Change",
  { state: "SUPERSEDED" },
);

export const executionFailed = stateChangeNotification(
  "CodePipeline Pipeline Execution State Change",
  { state: "FAILED" },
  {
    failedStage: "Test",
    failedActionCount: 1,
    failedActions: [
      { action: "IntegrationTests", additionalInformation: "Build terminated with state: FAILED" },
    ],
  },
);

/** "Manual approval needed": the approval action has started. */
export const approvalNeeded = stateChangeNotification(
  "CodePipeline Action Execution State Change",
  {
    state: "STARTED",
    stage: "Approval",
    action: "Approve",
    "action-execution-id": "47f821c5-a902-44b2-ae61-b878d31ecd21",
    region,
    type: { owner: "AWS", provider: "Manual", category: "Approval", version: "1" },
  },
);

/** What the approval action itself publishes when it has a notification topic (CodePipeline user guide, approvals JSON format). */
export const approvalActionRequest = {
  region,
  consoleLink: `https://console.aws.amazon.com/codepipeline/home?region=${region}#/view/${pipeline}`,
  approval: {
    pipelineName: pipeline,
    stageName: "Approval",
    actionName: "Approve",
    token: "1a2b3c4d-573f-4ea7-a67e-0c1d2e3f4a5b",
    expires: "2025-03-21T09:26Z",
    externalEntityLink: "https://github.com/example/cupping-log/compare/production...main",
    approvalReviewLink: `https://console.aws.amazon.com/codepipeline/home?region=${region}#/view/${pipeline}/Approval/Approve/approve/1a2b3c4d-573f-4ea7-a67e-0c1d2e3f4a5b`,
    customData: "Check the dev smoke test before releasing to production.",
  },
};

/** The event Lambda receives from an SNS subscription, one record per message. */
export function snsEvent(...messages: Array<string | object>): SNSEvent {
  return {
    Records: messages.map((message, index) => ({
      EventSource: "aws:sns",
      EventVersion: "1.0",
      EventSubscriptionArn: `${topicArn}:2bcfbf39-05c3-41de-beaa-fcfcc21c8f55`,
      Sns: {
        Type: "Notification",
        MessageId: `95df01b4-ee98-5cb9-9903-4c221d41eb5${index}`,
        TopicArn: topicArn,
        Subject: undefined,
        Message: typeof message === "string" ? message : JSON.stringify(message),
        Timestamp: "2025-03-14T09:26:54.012Z",
        SignatureVersion: "1",
        Signature: "EXAMPLE",
        SigningCertUrl:
          "https://sns.eu-west-1.amazonaws.com/SimpleNotificationService-0000000000000000000000.pem",
        UnsubscribeUrl: `https://sns.eu-west-1.amazonaws.com/?Action=Unsubscribe&SubscriptionArn=${topicArn}:2bcfbf39`,
        MessageAttributes: {},
      },
    })),
  };
}

// CloudWatch alarm messages as SNS delivers them (the JSON in Sns.Message): "Region" is the region's display name and
// only AlarmArn names its code; AlarmDescription is null for an alarm without one; Unit is null when not set.
export const alarmName = "cupping-api-function-errors-7d3e2f1";
export const apiFunctionName = "cupping-api-3b9f0c2";
const alarmArnOf = (name: string) => `arn:aws:cloudwatch:${region}:${account}:alarm:${name}`;

/** A single-metric alarm of the service (the API function's errors) changing state. */
export function alarmStateChange(
  newState: string,
  oldState: string,
  reason: string,
  time: string,
): Record<string, unknown> {
  return {
    AlarmName: alarmName,
    AlarmDescription: "The API function raised errors in the last 5 minutes.",
    AWSAccountId: account,
    AlarmConfigurationUpdatedTimestamp: "2025-03-10T16:02:41.118+0000",
    NewStateValue: newState,
    NewStateReason: reason,
    StateChangeTime: time,
    Region: "EU (Ireland)",
    AlarmArn: alarmArnOf(alarmName),
    OldStateValue: oldState,
    OKActions: [topicArn],
    AlarmActions: [topicArn],
    InsufficientDataActions: [],
    Trigger: {
      MetricName: "Errors",
      Namespace: "AWS/Lambda",
      StatisticType: "Statistic",
      Statistic: "SUM",
      Unit: null,
      Dimensions: [{ value: apiFunctionName, name: "FunctionName" }],
      Period: 300,
      EvaluationPeriods: 1,
      ComparisonOperator: "GreaterThanThreshold",
      Threshold: 0.0,
      TreatMissingData: "notBreaching",
      EvaluateLowSampleCountPercentile: "",
    },
  };
}

export const alarmRaised = alarmStateChange(
  "ALARM",
  "OK",
  "Threshold Crossed: 1 out of the last 1 datapoints [3.0 (14/03/25 09:25:00)] was greater than the threshold (0.0) (minimum 1 datapoint for OK -> ALARM transition).",
  "2025-03-14T09:31:12.845+0000",
);

export const alarmCleared = alarmStateChange(
  "OK",
  "ALARM",
  "Threshold Crossed: 1 out of the last 1 datapoints [0.0 (14/03/25 09:40:00)] was not greater than the threshold (0.0) (minimum 1 datapoint for ALARM -> OK transition).",
  "2025-03-14T09:46:12.301+0000",
);

/** The service's metric math alarm (API 5xx rate): its Trigger lists the expression and the metrics it reads. */
export const apiErrorRateRaised = {
  ...alarmRaised,
  AlarmName: "cupping-api-5xx-rate-0c4a9e5",
  AlarmDescription: "More than 5% of API requests failed with a 5xx status in the last 5 minutes.",
  AlarmArn: alarmArnOf("cupping-api-5xx-rate-0c4a9e5"),
  NewStateReason:
    "Threshold Crossed: 1 out of the last 1 datapoints [12.5 (14/03/25 09:25:00)] was greater than the threshold (5.0) (minimum 1 datapoint for OK -> ALARM transition).",
  Trigger: {
    Period: 300,
    EvaluationPeriods: 1,
    ComparisonOperator: "GreaterThanThreshold",
    Threshold: 5.0,
    TreatMissingData: "notBreaching",
    EvaluateLowSampleCountPercentile: "",
    Metrics: [
      apiGatewayQuery("errors", "5xx"),
      apiGatewayQuery("requests", "Count"),
      {
        Expression: "IF(requests > 0, 100 * errors / requests, 0)",
        Id: "rate",
        Label: "5xx rate (%)",
        ReturnData: true,
      },
    ],
  },
};

function apiGatewayQuery(id: string, metricName: string): Record<string, unknown> {
  return {
    Id: id,
    MetricStat: {
      Metric: {
        Dimensions: [
          { value: "a1b2c3d4e5", name: "ApiId" },
          { value: "$default", name: "Stage" },
        ],
        MetricName: metricName,
        Namespace: "AWS/ApiGateway",
      },
      Period: 300,
      Stat: "Sum",
    },
    ReturnData: false,
  };
}

/** What S3 publishes to a topic when an object is created: an SNS message the notifier has no words for. */
export const s3ObjectCreated = {
  Records: [
    {
      eventVersion: "2.1",
      eventSource: "aws:s3",
      awsRegion: region,
      eventTime: "2025-03-14T09:26:50.118Z",
      eventName: "ObjectCreated:Put",
      s3: {
        bucket: {
          name: "cupping-log-dev-artifacts",
          arn: "arn:aws:s3:::cupping-log-dev-artifacts",
        },
        object: { key: "coverage/index.html", size: 48213 },
      },
    },
  ],
};
