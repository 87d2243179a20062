import { strict as assert } from "node:assert";
import type { AlarmNotification } from "../../lambdas/slack-notifier/alarm-notification";
import { readNotification } from "../../lambdas/slack-notifier/notification";
import type { PipelineNotification } from "../../lambdas/slack-notifier/pipeline-notification";
import type { SlackBlock, SlackMessage } from "../../lambdas/slack-notifier/slack-blocks";
import { slackMessage } from "../../lambdas/slack-notifier/slack-message";
import { MalformedMessageError } from "../../lambdas/slack-notifier/sns-message";
import { driftMessage as driftSnsMessage } from "../../components/pipeline/release/drift-report";
import * as fixtures from "./slack-notifier-fixtures";

const executionPage = `https://eu-west-1.console.aws.amazon.com/codesuite/codepipeline/pipelines/cupping-log-dev/executions/${fixtures.executionId}/timeline?region=eu-west-1`;

function read(message: object): PipelineNotification {
  const notification = readNotification(JSON.stringify(message));
  if (notification.kind !== "pipeline")
    assert.fail(`expected a pipeline notification, read ${notification.kind}`);
  return notification;
}

function readAlarm(message: object): AlarmNotification {
  const notification = readNotification(JSON.stringify(message));
  if (notification.kind !== "alarm")
    assert.fail(`expected an alarm notification, read ${notification.kind}`);
  return notification;
}

/** Every text a reader sees, block by block, joined by newlines. */
function visibleText(message: SlackMessage): string {
  const texts = (block: SlackBlock): string[] => {
    if (block.type === "actions")
      return block.elements.map((element) => `${element.text.text} <${element.url}>`);
    if (block.type === "header") return [block.text.text];
    return [block.text?.text ?? "", ...(block.fields ?? []).map((field) => field.text)];
  };
  return message.blocks.flatMap(texts).join("\n");
}

function buttons(message: SlackMessage): Array<{ label: string; url: string }> {
  return message.blocks.flatMap((block) =>
    block.type === "actions"
      ? block.elements.map((element) => ({ label: element.text.text, url: element.url }))
      : [],
  );
}

describe("slack notifier: reading CodePipeline notifications", () => {
  it("reads an execution that succeeded, with the commit its source action reported", () => {
    assert.deepEqual(read(fixtures.executionSucceeded), {
      kind: "pipeline",
      pipeline: "cupping-log-dev",
      state: "SUCCEEDED",
      approval: false,
      stage: undefined,
      action: undefined,
      commit: { id: fixtures.commitId, message: fixtures.commitMessage },
      executionUrl: executionPage,
      reviewUrl: undefined,
      approvalNote: undefined,
    });
  });

  it("names the stage that failed a failed execution", () => {
    const notification = read(fixtures.executionFailed);
    assert.equal(notification.state, "FAILED");
    assert.equal(notification.stage, "Test");
  });

  it("recognises manual approval needed: an Approval action that started", () => {
    const notification = read(fixtures.approvalNeeded);
    assert.deepEqual(
      [notification.approval, notification.state, notification.stage, notification.action],
      [true, "STARTED", "Approval", "Approve"],
    );
    assert.equal(notification.executionUrl, executionPage);
  });

  it("does not take other actions for approvals", () => {
    const build = fixtures.stateChangeNotification("CodePipeline Action Execution State Change", {
      state: "STARTED",
      stage: "Build",
      action: "Build",
      type: { owner: "AWS", provider: "CodeBuild", category: "Build", version: "1" },
    });
    assert.equal(read(build).approval, false);
  });

  it("reads the commit from the execution trigger when no source action reports one", () => {
    const event = fixtures.stateChangeNotification(
      "CodePipeline Pipeline Execution State Change",
      {
        state: "STARTED",
        "execution-trigger": {
          "trigger-type": "Webhook",
          "commit-id": "abc1234def",
          "commit-message": "Fix the cupping score",
        },
      },
      { sourceActions: [] },
    );
    assert.deepEqual(read(event).commit, { id: "abc1234def", message: "Fix the cupping score" });
  });

  it("leaves out a decoration of the wrong type instead of refusing the notification", () => {
    const event = fixtures.stateChangeNotification(
      "CodePipeline Pipeline Execution State Change",
      { state: "STARTED" },
      {
        sourceActions: [{ sourceActionVariables: { CommitId: 42 } }],
        externalEntityLink: "javascript:alert(1)",
      },
    );
    const notification = read(event);
    assert.equal(notification.commit, undefined);
    assert.equal(notification.pipeline, "cupping-log-dev");
  });

  it("reads the approval action's own notification, with its approve and review links", () => {
    const notification = read(fixtures.approvalActionRequest);
    assert.equal(notification.approval, true);
    assert.equal(notification.stage, "Approval");
    assert.equal(
      notification.approveUrl,
      fixtures.approvalActionRequest.approval.approvalReviewLink,
    );
    assert.equal(
      notification.reviewUrl,
      fixtures.approvalActionRequest.approval.externalEntityLink,
    );
    assert.equal(notification.approvalNote, fixtures.approvalActionRequest.approval.customData);
    assert.equal(notification.executionUrl, fixtures.approvalActionRequest.consoleLink);
  });

  const malformed: Array<[string, string, RegExp]> = [
    ["text that is not JSON", "Pipeline cupping-log-dev failed", /not JSON/],
    ["a JSON list", "[1, 2]", /not a JSON object/],
    [
      "an event from another service",
      JSON.stringify({ ...fixtures.executionSucceeded, source: "aws.codebuild" }),
      /source: .*aws\.codepipeline/,
    ],
    [
      "an unknown detail type",
      JSON.stringify({
        ...fixtures.executionSucceeded,
        detailType: "CodeBuild Build State Change",
      }),
      /detailType: .*CodePipeline Pipeline Execution State Change/,
    ],
    [
      "an event without the pipeline's name",
      JSON.stringify({
        ...fixtures.executionSucceeded,
        detail: { state: "SUCCEEDED", "execution-id": "x" },
      }),
      /detail\.pipeline/,
    ],
    [
      "an approval request without its review link",
      JSON.stringify({
        ...fixtures.approvalActionRequest,
        approval: { pipelineName: "p", stageName: "s", actionName: "a" },
      }),
      /approval\.approvalReviewLink/,
    ],
  ];
  for (const [what, message, names] of malformed) {
    it(`refuses ${what}, saying what is wrong`, () => {
      assert.throws(
        () => readNotification(message),
        (error: unknown) => error instanceof MalformedMessageError && names.test(error.message),
      );
    });
  }
});

describe("slack notifier: the Slack message", () => {
  it("announces a success with pipeline, environment, status, commit and a link to the execution", () => {
    const message = slackMessage(read(fixtures.executionSucceeded), "dev");
    const text = visibleText(message);
    assert.equal(message.text, "Succeeded: cupping-log-dev (dev)");
    assert.match(text, /:white_check_mark: cupping-log-dev: Succeeded/);
    assert.match(text, /\*Pipeline\*\ncupping-log-dev/);
    assert.match(text, /\*Environment\*\ndev/);
    assert.match(text, /\*Status\*\nSucceeded/);
    assert.match(
      text,
      new RegExp(
        `\\*Commit\\* \`${fixtures.commitId}\`\n>Record the roast level of each cupping session`,
      ),
    );
    assert.doesNotMatch(text, /The tasting form asks/, "only the commit's subject line is shown");
    assert.doesNotMatch(text, /\*Stage\*/, "a whole-execution event names no stage");
    assert.deepEqual(buttons(message), [{ label: "View execution", url: executionPage }]);
  });

  it("announces a failure with the stage that failed", () => {
    const text = visibleText(slackMessage(read(fixtures.executionFailed), "production"));
    assert.match(text, /:x: cupping-log-dev: Failed/);
    assert.match(text, /\*Stage\*\nTest/);
    assert.match(text, /\*Environment\*\nproduction/);
    assert.match(text, /\*Status\*\nFailed/);
  });

  it("announces a superseded execution", () => {
    assert.equal(
      slackMessage(read(fixtures.executionSuperseded), "dev").text,
      "Superseded: cupping-log-dev (dev)",
    );
  });

  it("asks for approval, naming the stage and action, with the approve and review links first", () => {
    const message = slackMessage(read(fixtures.approvalActionRequest), "production");
    const text = visibleText(message);
    assert.equal(message.text, "Approval needed: cupping-log-dev (production)");
    assert.match(text, /\*Stage\*\nApproval/);
    assert.match(text, /\*Action\*\nApprove/);
    assert.match(text, /\*Note for the reviewer\*\nCheck the dev smoke test/);
    assert.deepEqual(
      buttons(message).map((button) => button.label),
      ["Approve or reject", "Review what is approved", "View execution"],
    );
  });

  it("announces what an approval became", () => {
    const decided = (state: string) => ({
      ...fixtures.approvalNeeded,
      detail: { ...(fixtures.approvalNeeded.detail as object), state },
    });
    assert.match(slackMessage(read(decided("SUCCEEDED")), "dev").text, /^Approved:/);
    assert.match(slackMessage(read(decided("FAILED")), "dev").text, /^Rejected:/);
  });

  it("shows a state it has no words for as CodePipeline names it", () => {
    const event = fixtures.stateChangeNotification("CodePipeline Pipeline Execution State Change", {
      state: "PARTIALLY_ROLLED_BACK",
    });
    assert.match(slackMessage(read(event), "dev").text, /^Partially rolled back:/);
  });

  it("escapes Slack markup in commit messages so a message cannot ping or link", () => {
    const event = fixtures.stateChangeNotification(
      "CodePipeline Pipeline Execution State Change",
      { state: "STARTED" },
      {
        sourceActions: [
          {
            sourceActionVariables: {
              CommitId: "abc",
              CommitMessage: "Taste <!channel> & <https://x.test|this>",
            },
          },
        ],
      },
    );
    assert.match(
      visibleText(slackMessage(read(event), "dev")),
      /Taste &lt;!channel&gt; &amp; &lt;https:\/\/x\.test\|this&gt;/,
    );
  });

  it("keeps within Slack's limits when names and notes are long", () => {
    const event = fixtures.stateChangeNotification(
      "CodePipeline Pipeline Execution State Change",
      { state: "FAILED", pipeline: "p".repeat(100), stage: "<".repeat(600) },
      {
        sourceActions: [
          { sourceActionVariables: { CommitId: "abc", CommitMessage: "&".repeat(5000) } },
        ],
      },
    );
    const message = slackMessage(read(event), "dev");
    const header = message.blocks.find((block) => block.type === "header");
    assert.ok(header && header.text.text.length <= 150, "header within 150 characters");
    for (const block of message.blocks) {
      if (block.type !== "section") continue;
      assert.ok((block.text?.text.length ?? 0) <= 3000);
      for (const field of block.fields ?? [])
        assert.ok(
          field.text.length <= 2000 && !/&[a-z]*…/.test(field.text),
          "no half-escaped character",
        );
    }
  });
});

const alarmPage = `https://eu-west-1.console.aws.amazon.com/cloudwatch/home?region=eu-west-1#alarmsV2:alarm/${fixtures.alarmName}`;

describe("slack notifier: reading CloudWatch alarm notifications", () => {
  it("reads an alarm that went off, with its metric and a console link in the alarm's own region", () => {
    assert.deepEqual(readAlarm(fixtures.alarmRaised), {
      kind: "alarm",
      alarm: fixtures.alarmName,
      description: "The API function raised errors in the last 5 minutes.",
      state: "ALARM",
      previousState: "OK",
      reason: fixtures.alarmRaised.NewStateReason,
      metric: `AWS/Lambda Errors (FunctionName=${fixtures.apiFunctionName})`,
      alarmUrl: alarmPage,
    });
  });

  it("reads an alarm back to OK", () => {
    const alarm = readAlarm(fixtures.alarmCleared);
    assert.deepEqual([alarm.state, alarm.previousState], ["OK", "ALARM"]);
  });

  it("names a metric math alarm by its expression's label and the metrics it reads", () => {
    const dimensions = "(ApiId=a1b2c3d4e5, Stage=$default)";
    assert.equal(
      readAlarm(fixtures.apiErrorRateRaised).metric,
      `5xx rate (%) from AWS/ApiGateway 5xx ${dimensions}, AWS/ApiGateway Count ${dimensions}`,
    );
  });

  it("reads an alarm without a description (null) or trigger, and a name that needs encoding in the link", () => {
    const alarm = readAlarm({
      ...fixtures.alarmRaised,
      AlarmName: "api errors/5xx",
      AlarmDescription: null,
      Trigger: undefined,
      AlarmArn: `arn:aws:cloudwatch:us-east-2:${fixtures.account}:alarm:api errors/5xx`,
    });
    assert.equal(alarm.description, undefined);
    assert.equal(alarm.metric, undefined);
    assert.equal(
      alarm.alarmUrl,
      "https://us-east-2.console.aws.amazon.com/cloudwatch/home?region=us-east-2#alarmsV2:alarm/api%20errors%2F5xx",
    );
  });

  const malformed: Array<[string, object, RegExp]> = [
    [
      "a state CloudWatch does not have",
      { ...fixtures.alarmRaised, NewStateValue: "PENDING" },
      /not a CloudWatch alarm notification: NewStateValue: .*"ALARM"\|"OK"\|"INSUFFICIENT_DATA"/,
    ],
    ["no reason", { ...fixtures.alarmRaised, NewStateReason: undefined }, /NewStateReason/],
    [
      "no alarm ARN to find its region by",
      { ...fixtures.alarmRaised, AlarmArn: undefined },
      /AlarmArn/,
    ],
    [
      "an ARN that is not an alarm's",
      { ...fixtures.alarmRaised, AlarmArn: fixtures.topicArn },
      /AlarmArn: expected a CloudWatch alarm ARN/,
    ],
  ];
  for (const [what, message, names] of malformed) {
    it(`refuses an alarm notification with ${what}, saying what is wrong`, () => {
      assert.throws(
        () => readNotification(JSON.stringify(message)),
        (error: unknown) => error instanceof MalformedMessageError && names.test(error.message),
      );
    });
  }
});

describe("slack notifier: the alarm's Slack message", () => {
  it("announces an alarm with its name, environment, new and old state, metric, description, reason and console link", () => {
    const message = slackMessage(readAlarm(fixtures.alarmRaised), "production");
    const text = visibleText(message);
    assert.equal(message.text, `ALARM: ${fixtures.alarmName} (production)`);
    assert.match(text, new RegExp(`^:rotating_light: ${fixtures.alarmName}: ALARM\n`));
    assert.match(text, new RegExp(`\\*Alarm\\*\n${fixtures.alarmName}`));
    assert.match(text, /\*Environment\*\nproduction/);
    assert.match(text, /\*State\*\nALARM/);
    assert.match(text, /\*Previous state\*\nOK/);
    assert.match(
      text,
      new RegExp(`\\*Metric\\*\nAWS/Lambda Errors \\(FunctionName=${fixtures.apiFunctionName}\\)`),
    );
    assert.match(text, /\*Description\*\nThe API function raised errors in the last 5 minutes\./);
    assert.match(
      text,
      /\*Reason\*\nThreshold Crossed: 1 out of the last 1 datapoints \[3\.0 \(14\/03\/25 09:25:00\)\] was greater than the threshold \(0\.0\) \(minimum 1 datapoint for OK -&gt; ALARM transition\)\./,
    );
    assert.deepEqual(buttons(message), [{ label: "View alarm", url: alarmPage }]);
  });

  it("announces the recovery with the state it left", () => {
    const message = slackMessage(readAlarm(fixtures.alarmCleared), "dev");
    assert.equal(message.text, `OK: ${fixtures.alarmName} (dev)`);
    const text = visibleText(message);
    assert.match(text, new RegExp(`^:white_check_mark: ${fixtures.alarmName}: OK\n`));
    assert.match(text, /\*State\*\nOK/);
    assert.match(text, /\*Previous state\*\nALARM/);
  });

  it("leaves out what the alarm does not say, and escapes Slack markup in what it does", () => {
    const alarm = readAlarm({
      ...fixtures.alarmRaised,
      AlarmDescription: null,
      Trigger: {},
      NewStateReason: "Set by <!here> & hand",
    });
    const text = visibleText(slackMessage(alarm, "dev"));
    assert.doesNotMatch(text, /\*Description\*|\*Metric\*/);
    assert.match(text, /\*Reason\*\nSet by &lt;!here&gt; &amp; hand/);
  });
});

describe("slack notifier: releases", () => {
  it("shows the Plan's summary, RISK first, in an approval-needed message, with the link to the plan", () => {
    const summary =
      "RISK danger: 0 to create, 1 to update, 1 to replace, 0 to delete. replace aws:rds/instance:Instance cupping-database-instance: data it holds is lost.";
    const request = {
      ...fixtures.approvalActionRequest,
      approval: {
        ...fixtures.approvalActionRequest.approval,
        customData: `Approve the release of acme/cupping commit 9c1e5b7 to production. Plan: ${summary}`,
        externalEntityLink:
          "https://console.aws.amazon.com/codesuite/codebuild/projects/p/build/p:1",
      },
    };
    const message = slackMessage(readNotification(JSON.stringify(request)), "production");
    assert.ok(visibleText(message).includes(summary), visibleText(message));
    assert.ok(
      buttons(message).some(
        (b) => b.url === "https://console.aws.amazon.com/codesuite/codebuild/projects/p/build/p:1",
      ),
    );
  });

  it("announces drift with the drifted resources and a link to the check, from the drift check's own message", () => {
    const report = {
      stack: "production",
      resources: [
        {
          urn: "urn:pulumi:production::pipelines::aws:ec2/securityGroup:SecurityGroup::cupping-database-sg",
          kind: "update",
          properties: ["ingress"],
        },
      ],
      buildUrl: "https://console.aws.amazon.com/codesuite/codebuild/b/1",
    };
    // What SNS delivers to a Lambda subscriber of a MessageStructure json message: its "default" text.
    const delivered = JSON.parse(driftSnsMessage(report)).default;
    const message = slackMessage(readNotification(delivered), "production");
    assert.match(message.text, /^Drift in production: 1 resource\(s\) changed outside Pulumi/);
    assert.match(visibleText(message), /update `cupping-database-sg` \(ingress\)/);
    assert.deepEqual(buttons(message), [{ label: "View drift check", url: report.buildUrl }]);
  });

  it("refuses a drift report that names no resource", () => {
    assert.throws(
      () =>
        readNotification(JSON.stringify({ driftCheck: { stack: "production", resources: [] } })),
      MalformedMessageError,
    );
  });
});
