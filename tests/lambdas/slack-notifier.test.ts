import { strict as assert } from "node:assert";
import type { SNSEvent } from "aws-lambda";
import type { DeadLetterQueue } from "../../lambdas/slack-notifier/dead-letter-queue";
import {
  createNotifier,
  type Notifier,
  type NotifierLog,
} from "../../lambdas/slack-notifier/notifier";
import { SlackDeliveryError } from "../../lambdas/slack-notifier/slack-webhook";
import { keptWebhookUrl } from "../../lambdas/slack-notifier/webhook-url";
import { startSlackServer, type SlackPayload, type SlackServer } from "../support/slack-server";
import * as fixtures from "./slack-notifier-fixtures";

interface LogLine {
  readonly level: "info" | "warn" | "error";
  readonly message: string;
  readonly [key: string]: unknown;
}

/** Everything the notifier around one Slack stand-in did: log lines, dead letters, secret reads, backoff waits. */
interface Harness {
  readonly notify: Notifier;
  readonly logs: LogLine[];
  readonly deadLetters: string[];
  readonly secretReads: () => number;
  readonly waits: number[];
}

function harness(
  slack: SlackServer,
  options: { deadLetterQueue?: DeadLetterQueue; readWebhookUrl?: () => Promise<string> } = {},
): Harness {
  const logs: LogLine[] = [];
  const deadLetters: string[] = [];
  const waits: number[] = [];
  let reads = 0;
  const line = (level: LogLine["level"]) => (input: Parameters<NotifierLog["info"]>[0]) => {
    logs.push({ level, ...(typeof input === "string" ? { message: input } : input) });
  };
  const notify = createNotifier({
    environment: "dev",
    webhookUrl: keptWebhookUrl(async () => {
      reads += 1;
      return options.readWebhookUrl ? options.readWebhookUrl() : slack.webhookUrl;
    }),
    deadLetterQueue: options.deadLetterQueue ?? {
      send: async (body) => void deadLetters.push(body),
    },
    log: { info: line("info"), warn: line("warn"), error: line("error") },
    delivery: { sleep: async (ms) => void waits.push(ms) },
  });
  return { notify, logs, deadLetters, secretReads: () => reads, waits };
}

/** All the text of a delivered payload's blocks, with button links, for assertions on what a reader sees. */
function readable(payload: SlackPayload): string {
  return JSON.stringify(payload.blocks);
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => assert.fail("expected the invocation to fail so that Lambda retries it"),
    (error: unknown) => error,
  );
}

describe("slack notifier: announcing pipeline events", () => {
  let slack: SlackServer;
  beforeEach(async () => {
    slack = await startSlackServer();
  });
  afterEach(() => slack.close());

  const announcements: Array<[string, object, RegExp[]]> = [
    [
      "a success",
      fixtures.executionSucceeded,
      [/Succeeded/, /\*Environment\*\\ndev/, /\*Pipeline\*\\ncupping-log-dev/],
    ],
    [
      "a failure",
      fixtures.executionFailed,
      [/:x: cupping-log-dev: Failed/, /\*Stage\*\\nTest/, /\*Status\*\\nFailed/],
    ],
    [
      "an approval needed",
      fixtures.approvalNeeded,
      [/Approval needed/, /\*Stage\*\\nApproval/, /\*Action\*\\nApprove/],
    ],
  ];
  for (const [what, event, expected] of announcements) {
    it(`posts ${what} to Slack with pipeline, environment, status, commit and execution link`, async () => {
      const { notify, logs } = harness(slack);
      await notify(fixtures.snsEvent(event));
      assert.equal(slack.delivered.length, 1);
      const blocks = readable(slack.delivered[0]);
      for (const pattern of expected) assert.match(blocks, pattern);
      assert.match(blocks, new RegExp(`\`${fixtures.commitId}\``));
      assert.match(blocks, /Record the roast level of each cupping session/);
      assert.ok(
        blocks.includes(
          `/pipelines/cupping-log-dev/executions/${fixtures.executionId}/timeline?region=eu-west-1`,
        ),
        "links the execution",
      );
      assert.deepEqual(
        logs.map((log) => [log.level, log.message, log.attempts]),
        [["info", "Pipeline event announced in Slack", 1]],
      );
    });
  }

  it("retries a 500 and delivers the message exactly once", async () => {
    slack.answerNext({ status: 500, body: "rollup_error" });
    const { notify, logs, waits } = harness(slack);
    await notify(fixtures.snsEvent(fixtures.executionFailed));
    assert.equal(slack.requests.length, 2);
    assert.equal(slack.delivered.length, 1);
    assert.deepEqual(waits, [500]);
    assert.deepEqual(
      logs.map((log) => [log.level, log.reason ?? log.attempts]),
      [
        ["warn", "HTTP 500 rollup_error"],
        ["info", 2],
      ],
    );
  });

  it("reads the webhook URL once, not once per event", async () => {
    const { notify, secretReads } = harness(slack);
    await notify(fixtures.snsEvent(fixtures.executionSucceeded));
    await notify(fixtures.snsEvent(fixtures.executionFailed));
    assert.equal(slack.delivered.length, 2);
    assert.equal(secretReads(), 1);
  });

  it("fails the invocation when Slack keeps failing, so Lambda's retries and dead-letter queue keep the event", async () => {
    slack.answerNext(...Array.from({ length: 4 }, () => ({ status: 503 })));
    const { notify, logs, deadLetters } = harness(slack);
    const error = await rejection(notify(fixtures.snsEvent(fixtures.executionSucceeded)));
    assert.ok(error instanceof SlackDeliveryError && !error.permanent);
    assert.equal(slack.requests.length, 4);
    assert.deepEqual(
      deadLetters,
      [],
      "the function's own dead-letter queue receives it after Lambda's retries",
    );
    const failure = logs.find((log) => log.level === "error");
    assert.match(String(failure?.message), /not delivered to Slack/);
    assert.match(String(failure?.reason), /after 4 attempts: HTTP 503/);
  });

  it("reads the webhook URL again after Slack refused it, in case it was revoked and replaced", async () => {
    slack.answerNext({ status: 404, body: "no_service" });
    const { notify, secretReads } = harness(slack);
    const error = await rejection(notify(fixtures.snsEvent(fixtures.executionSucceeded)));
    assert.ok(error instanceof SlackDeliveryError && error.permanent);
    await notify(fixtures.snsEvent(fixtures.executionSucceeded));
    assert.equal(secretReads(), 2);
    assert.equal(slack.delivered.length, 1);
  });

  it("fails the invocation when the webhook URL cannot be read, and reads it again next time", async () => {
    let failing = true;
    const { notify, secretReads } = harness(slack, {
      readWebhookUrl: async () => {
        if (failing)
          throw new Error(
            "AccessDeniedException: not authorized to perform secretsmanager:GetSecretValue",
          );
        return slack.webhookUrl;
      },
    });
    assert.match(
      String(await rejection(notify(fixtures.snsEvent(fixtures.executionSucceeded)))),
      /AccessDeniedException/,
    );
    failing = false;
    await notify(fixtures.snsEvent(fixtures.executionSucceeded));
    assert.equal(secretReads(), 2);
    assert.equal(slack.delivered.length, 1);
  });

  it("delivers every record of an event before failing it for the one that could not be delivered", async () => {
    slack.answerNext({ status: 400, body: "invalid_payload" });
    const { notify } = harness(slack);
    const error = await rejection(
      notify(fixtures.snsEvent(fixtures.executionFailed, fixtures.executionSucceeded)),
    );
    assert.ok(error instanceof SlackDeliveryError);
    assert.equal(slack.delivered.length, 1);
    assert.match(readable(slack.delivered[0]), /Succeeded/);
  });
});

describe("slack notifier: announcing CloudWatch alarms", () => {
  let slack: SlackServer;
  beforeEach(async () => {
    slack = await startSlackServer();
  });
  afterEach(() => slack.close());

  const changes: Array<[string, object, string, string, RegExp]> = [
    [
      "an alarm going off",
      fixtures.alarmRaised,
      "ALARM",
      "OK",
      /\[3\.0 \(14\/03\/25 09:25:00\)\] was greater than the threshold/,
    ],
    [
      "an alarm back to OK",
      fixtures.alarmCleared,
      "OK",
      "ALARM",
      /\[0\.0 \(14\/03\/25 09:40:00\)\] was not greater than the threshold/,
    ],
  ];
  for (const [what, message, state, previousState, reason] of changes) {
    it(`posts ${what} to Slack with its name, environment, new and old state, reason, metric and console link`, async () => {
      const { notify, logs, deadLetters } = harness(slack);
      await notify(fixtures.snsEvent(message));
      assert.deepEqual(deadLetters, []);
      assert.equal(slack.delivered.length, 1);
      assert.equal(slack.delivered[0].text, `${state}: ${fixtures.alarmName} (dev)`);
      const blocks = readable(slack.delivered[0]);
      for (const fact of [
        `*Alarm*\\n${fixtures.alarmName}`,
        "*Environment*\\ndev",
        `*State*\\n${state}`,
        `*Previous state*\\n${previousState}`,
        `*Metric*\\nAWS/Lambda Errors (FunctionName=${fixtures.apiFunctionName})`,
      ]) {
        assert.ok(blocks.includes(fact), `shows ${fact}`);
      }
      assert.match(blocks, reason);
      assert.ok(
        blocks.includes(
          `"url":"https://eu-west-1.console.aws.amazon.com/cloudwatch/home?region=eu-west-1#alarmsV2:alarm/${fixtures.alarmName}"`,
        ),
        "links the alarm",
      );
      assert.deepEqual(
        logs.map((log) => [log.level, log.message, log.alarm, log.state, log.attempts]),
        [["info", "Alarm announced in Slack", fixtures.alarmName, state, 1]],
      );
    });
  }

  it("retries an alarm Slack did not take, as it does a pipeline event", async () => {
    slack.answerNext({ status: 503 });
    const { notify, logs, waits } = harness(slack);
    await notify(fixtures.snsEvent(fixtures.alarmRaised));
    assert.equal(slack.requests.length, 2);
    assert.equal(slack.delivered.length, 1);
    assert.deepEqual(waits, [500]);
    assert.deepEqual(
      logs.map((log) => [log.level, log.alarm]),
      [
        ["warn", fixtures.alarmName],
        ["info", fixtures.alarmName],
      ],
    );
  });

  it("announces the pipeline event and the alarm of one event", async () => {
    const { notify } = harness(slack);
    await notify(fixtures.snsEvent(fixtures.executionFailed, fixtures.apiErrorRateRaised));
    assert.deepEqual(
      slack.delivered.map((payload) => payload.text),
      ["Failed: cupping-log-dev (dev)", "ALARM: cupping-api-5xx-rate-0c4a9e5 (dev)"],
    );
  });
});

describe("slack notifier: malformed messages", () => {
  let slack: SlackServer;
  beforeEach(async () => {
    slack = await startSlackServer();
  });
  afterEach(() => slack.close());

  const malformed: Array<[string, SNSEvent, RegExp]> = [
    [
      "text that is not JSON",
      fixtures.snsEvent("Pipeline cupping-log-dev failed"),
      /the SNS message is not JSON/,
    ],
    [
      "an event that is not a pipeline event",
      fixtures.snsEvent({
        ...fixtures.executionSucceeded,
        detailType: "CodeBuild Build State Change",
      }),
      /not a CodePipeline state change notification: detailType/,
    ],
    [
      "a message that is neither a pipeline event nor an alarm",
      fixtures.snsEvent(fixtures.s3ObjectCreated),
      /not a CodePipeline state change notification: source/,
    ],
    [
      "a record without message text",
      {
        Records: [
          { ...fixtures.snsEvent("x").Records[0], Sns: {} as SNSEvent["Records"][0]["Sns"] },
        ],
      },
      /carries no SNS message text/,
    ],
  ];
  for (const [what, event, reason] of malformed) {
    it(`sends ${what} to the dead-letter queue, logs why, and does not fail the invocation`, async () => {
      const { notify, logs, deadLetters, secretReads } = harness(slack);
      await notify(event);
      assert.equal(slack.requests.length, 0, "nothing is posted to Slack");
      assert.equal(secretReads(), 0, "the webhook URL is not even read");
      assert.equal(deadLetters.length, 1);
      const letter = JSON.parse(deadLetters[0]) as { reason: string; record: unknown };
      assert.match(letter.reason, reason);
      assert.deepEqual(
        letter.record,
        JSON.parse(JSON.stringify(event.Records[0])),
        "the raw record is kept",
      );
      assert.deepEqual(
        logs.map((log) => [log.level, log.message]),
        [["error", "Malformed SNS message: sent to the dead-letter queue, not retried"]],
      );
      assert.match(String(logs[0].reason), reason);
    });
  }

  it("keeps an invocation that is not an SNS event at all", async () => {
    const { notify, deadLetters } = harness(slack);
    await notify({
      detailType: "CodePipeline Pipeline Execution State Change",
    } as unknown as SNSEvent);
    assert.equal(deadLetters.length, 1);
    assert.match(deadLetters[0], /not an SNS event/);
  });

  it("fails the invocation when the dead-letter queue cannot take the message, so it is never silently dropped", async () => {
    const { notify } = harness(slack, {
      deadLetterQueue: {
        send: async () => {
          throw new Error("AWS.SimpleQueueService.NonExistentQueue");
        },
      },
    });
    assert.match(
      String(await rejection(notify(fixtures.snsEvent("not json")))),
      /NonExistentQueue/,
    );
  });

  it("still announces the good records of an event that also carries a malformed one", async () => {
    const { notify, deadLetters } = harness(slack);
    await notify(fixtures.snsEvent("not json", fixtures.executionSucceeded));
    assert.equal(deadLetters.length, 1);
    assert.equal(slack.delivered.length, 1);
  });
});
