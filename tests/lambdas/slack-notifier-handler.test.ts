import { strict as assert } from "node:assert";
import { createHash } from "node:crypto";
import type { SNSEvent } from "aws-lambda";
import { readNotifierEnvironment } from "../../lambdas/slack-notifier/environment";
import { webhookUrlIn } from "../../lambdas/slack-notifier/webhook-url";
import {
  startRecordingServer,
  startSlackServer,
  type RecordedRequest,
  type RecordingServer,
  type Reply,
  type SlackServer,
} from "../support/slack-server";
import * as fixtures from "./slack-notifier-fixtures";
import { awsSdkVariables, replaceEnvironment } from "../support/environment";

type Handler = (event: SNSEvent) => Promise<void>;

const secretArn = `arn:aws:secretsmanager:${fixtures.region}:${fixtures.account}:secret:cupping-log-dev/slack-webhook-AbCdEf`;

/** Secrets Manager and SQS as the SDK speaks to them (AWS JSON protocol), answering from this test's Slack stand-in. */
function awsAnswer(slack: SlackServer) {
  return (request: RecordedRequest): Reply => {
    const target = String(request.headers["x-amz-target"]);
    const input = JSON.parse(request.body) as Record<string, string>;
    if (target === "secretsmanager.GetSecretValue" && input.SecretId === secretArn) {
      return aws({
        ARN: secretArn,
        Name: "cupping-log-dev/slack-webhook",
        SecretString: slack.webhookUrl,
        VersionId: "a1b2c3d4",
      });
    }
    if (target === "AmazonSQS.SendMessage") {
      return aws({
        MessageId: "5fea7756-0ea4-451a-a703-a558b933e274",
        MD5OfMessageBody: createHash("md5").update(input.MessageBody).digest("hex"),
      });
    }
    return {
      status: 400,
      headers: { "content-type": "application/x-amz-json-1.1" },
      body: JSON.stringify({
        __type: "ResourceNotFoundException",
        message: `unexpected ${target}`,
      }),
    };
  };
}

function aws(output: object): Reply {
  return {
    status: 200,
    headers: { "content-type": "application/x-amz-json-1.1" },
    body: JSON.stringify(output),
  };
}

function calls(server: RecordingServer, target: string): Array<Record<string, string>> {
  return server.requests
    .filter((request) => request.headers["x-amz-target"] === target)
    .map((request) => JSON.parse(request.body) as Record<string, string>);
}

/** Runs an invocation with stdout and stderr captured, returning the structured log lines it wrote. */
async function invoke(handler: Handler, event: SNSEvent): Promise<Array<Record<string, unknown>>> {
  const written: string[] = [];
  const streams = [process.stdout, process.stderr];
  const writes = streams.map((stream) => stream.write);
  for (const stream of streams)
    stream.write = (chunk: string | Uint8Array) => written.push(String(chunk)) > 0;
  try {
    await handler(event);
  } finally {
    streams.forEach((stream, index) => (stream.write = writes[index]));
  }
  return written
    .join("")
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe("slack notifier: the Lambda handler, against stand-ins for Slack, Secrets Manager and SQS", () => {
  const variables = [
    "SLACK_SECRET_ARN",
    "ENVIRONMENT",
    "DEAD_LETTER_QUEUE_URL",
    "AWS_ENDPOINT_URL_SECRETS_MANAGER",
    "AWS_ENDPOINT_URL_SQS",
    ...awsSdkVariables,
    "POWERTOOLS_DEV",
    "POWERTOOLS_LOG_LEVEL",
  ];
  let restoreEnvironment: (() => void) | undefined;
  const handlerPath = require.resolve("../../lambdas/slack-notifier/handler");
  let slack: SlackServer;
  let awsServer: RecordingServer;
  let queueUrl: string;

  before(async () => {
    slack = await startSlackServer();
    awsServer = await startRecordingServer((request) => awsAnswer(slack)(request));
    queueUrl = `${awsServer.origin}/${fixtures.account}/cupping-log-dev-slack-notifier-dead-letters`;
    restoreEnvironment = replaceEnvironment(variables, {
      SLACK_SECRET_ARN: secretArn,
      ENVIRONMENT: "dev",
      DEAD_LETTER_QUEUE_URL: queueUrl,
      AWS_REGION: fixtures.region,
      AWS_ACCESS_KEY_ID: "AKIAIOSFODNN7EXAMPLE",
      AWS_SECRET_ACCESS_KEY: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
      AWS_ENDPOINT_URL_SECRETS_MANAGER: awsServer.origin,
      // The SDK sends to the queue URL's host either way; naming it here keeps the SDK from warning that they differ.
      AWS_ENDPOINT_URL_SQS: awsServer.origin,
      // Lambda runs Node 22; this machine's Node 20 would otherwise get the SDK's support warning.
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
    });
  });

  after(async () => {
    restoreEnvironment?.();
    delete require.cache[handlerPath];
    await Promise.all([slack.close(), awsServer.close()]);
  });

  /** A fresh copy of the handler module: what a cold start loads. */
  function coldStart(): Handler {
    delete require.cache[handlerPath];
    return (require(handlerPath) as { handler: Handler }).handler;
  }

  it("reads the webhook URL from Secrets Manager once per cold start and posts each event", async () => {
    const handler = coldStart();
    await invoke(handler, fixtures.snsEvent(fixtures.executionSucceeded));
    const logs = await invoke(handler, fixtures.snsEvent(fixtures.approvalNeeded));
    assert.deepEqual(calls(awsServer, "secretsmanager.GetSecretValue"), [{ SecretId: secretArn }]);
    const signed = awsServer.requests[0].headers.authorization;
    assert.match(
      String(signed),
      new RegExp(
        `^AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/\\d{8}/${fixtures.region}/secretsmanager/aws4_request`,
      ),
    );
    assert.deepEqual(
      slack.delivered.map((payload) => payload.text),
      ["Succeeded: cupping-log-dev (dev)", "Approval needed: cupping-log-dev (dev)"],
    );
    assert.equal(logs.length, 1);
    assert.deepEqual(
      [logs[0].level, logs[0].service, logs[0].message, logs[0].status],
      ["INFO", "slack-notifier", "Pipeline event announced in Slack", "Approval needed"],
    );
  });

  it("sends a malformed message to the SQS dead-letter queue and returns without failing", async () => {
    const handler = coldStart();
    const logs = await invoke(handler, fixtures.snsEvent("<html>Pipeline failed</html>"));
    const [sent] = calls(awsServer, "AmazonSQS.SendMessage");
    assert.equal(sent.QueueUrl, queueUrl);
    assert.match(
      (JSON.parse(sent.MessageBody) as { reason: string }).reason,
      /the SNS message is not JSON/,
    );
    assert.deepEqual(
      [logs[0].level, logs[0].message],
      ["ERROR", "Malformed SNS message: sent to the dead-letter queue, not retried"],
    );
  });

  it("fails every invocation with an error naming the missing setting when the environment is incomplete", async () => {
    delete process.env.SLACK_SECRET_ARN;
    try {
      const handler = coldStart();
      await assert.rejects(
        invoke(handler, fixtures.snsEvent(fixtures.executionSucceeded)),
        /SLACK_SECRET_ARN is not set/,
      );
      await assert.rejects(
        invoke(handler, fixtures.snsEvent(fixtures.executionSucceeded)),
        /SLACK_SECRET_ARN is not set/,
      );
    } finally {
      process.env.SLACK_SECRET_ARN = secretArn;
    }
  });
});

describe("slack notifier: configuration", () => {
  const complete = {
    SLACK_SECRET_ARN: secretArn,
    ENVIRONMENT: "production",
    DEAD_LETTER_QUEUE_URL: "https://sqs.eu-west-1.amazonaws.com/123456789012/dead-letters",
  };

  it("reads the three settings", () => {
    assert.deepEqual(readNotifierEnvironment(complete), {
      slackSecretArn: secretArn,
      environment: "production",
      deadLetterQueueUrl: complete.DEAD_LETTER_QUEUE_URL,
    });
  });

  it("lists every missing or wrong setting in one error", () => {
    assert.throws(
      () => readNotifierEnvironment({ ENVIRONMENT: " ", DEAD_LETTER_QUEUE_URL: "dead-letters" }),
      (error: Error) =>
        /SLACK_SECRET_ARN is not set/.test(error.message) &&
        /ENVIRONMENT is not set \(expected the stack name/.test(error.message) &&
        /DEAD_LETTER_QUEUE_URL is "dead-letters"/.test(error.message),
    );
  });

  it("takes the webhook URL from the secret's plain text, and never repeats a wrong value in the error", () => {
    assert.equal(
      webhookUrlIn(" https://hooks.slack.com/services/T0/B0/abc\n", secretArn),
      "https://hooks.slack.com/services/T0/B0/abc",
    );
    assert.throws(() => webhookUrlIn(undefined, secretArn), /holds no text/);
    assert.throws(
      () => webhookUrlIn('{"url":"https://hooks.slack.com/services/T0/B0/abc"}', secretArn),
      (error: Error) =>
        /does not hold a URL.*not JSON/.test(error.message) &&
        !error.message.includes("hooks.slack.com"),
    );
    assert.throws(() => webhookUrlIn("ftp://hooks.slack.com/x", secretArn), /holds a ftp: address/);
  });
});
