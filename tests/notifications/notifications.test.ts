import { strict as assert } from "node:assert";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import {
  descendantsOf,
  plainStrings,
  resourcesOfType,
  programRun,
  theResource,
} from "../support/harness";
import {
  type CapturedResource,
  type ProgramRun,
  isSecretValue,
  reveal,
} from "../../tooling/mocks/program-run";
import { mockAccountId } from "../../tooling/mocks/invokes";
import { projectRoot } from "../../tooling/mocks/stack-config";
import { mockedArn, policyOf } from "./mocked";

describe("notifications of the dev stack (Slack and e-mail)", () => {
  let run: ProgramRun;
  let within: CapturedResource[];
  /** The one resource of the component of a type (and name ending). */
  let one: (type: string, nameSuffix?: string) => CapturedResource;
  let topicArn: string;
  let keyArn: string;

  before(async () => {
    run = await programRun("dev");
    within = descendantsOf(run, theResource(run, "pipelines:notifications:Notifications"));
    one = (type, nameSuffix = "") => {
      const found = within.filter((r) => r.type === type && r.name.endsWith(nameSuffix));
      assert.equal(
        found.length,
        1,
        `expected one ${type} *${nameSuffix} in the component, found ${found.map((r) => r.name).join(", ") || "none"}`,
      );
      return found[0];
    };
    topicArn = mockedArn(run, one("aws:sns/topic:Topic"));
    keyArn = mockedArn(run, one("aws:kms/key:Key"));
  });

  describe("the notification rule", () => {
    it("announces a run started, succeeded, failed or superseded, and an approval needed, in full detail", () => {
      const rule = one("aws:codestarnotifications/notificationRule:NotificationRule");
      assert.deepEqual([...(reveal(rule.inputs.eventTypeIds) as string[])].sort(), [
        "codepipeline-pipeline-manual-approval-needed",
        "codepipeline-pipeline-pipeline-execution-failed",
        "codepipeline-pipeline-pipeline-execution-started",
        "codepipeline-pipeline-pipeline-execution-succeeded",
        "codepipeline-pipeline-pipeline-execution-superseded",
      ]);
      assert.equal(rule.inputs.detailType, "FULL");
    });

    it("watches the stack's pipeline and publishes to the topic", () => {
      const rule = one("aws:codestarnotifications/notificationRule:NotificationRule");
      assert.equal(
        reveal(rule.inputs.resource),
        mockedArn(run, theResource(run, "aws:codepipeline/pipeline:Pipeline")),
      );
      assert.deepEqual(reveal(rule.inputs.targets), [{ address: topicArn, type: "SNS" }]);
    });
  });

  describe("the topic", () => {
    it("is encrypted with the component's rotating key", () => {
      assert.equal(reveal(one("aws:sns/topic:Topic").inputs.kmsMasterKeyId), keyArn);
      assert.equal(one("aws:kms/key:Key").inputs.enableKeyRotation, true);
    });

    it("lets only CodeStar Notifications and this account's CloudWatch alarms publish", () => {
      const policy = one("aws:sns/topicPolicy:TopicPolicy");
      assert.equal(reveal(policy.inputs.arn), topicArn);
      const statements = policyOf(policy).Statement;
      const byService = Object.fromEntries(
        statements.map((s) => [(s.Principal as { Service: string }).Service, s]),
      );
      assert.deepEqual(Object.keys(byService).sort(), [
        "cloudwatch.amazonaws.com",
        "codestar-notifications.amazonaws.com",
      ]);
      for (const statement of statements) {
        assert.equal(statement.Effect, "Allow");
        assert.equal(statement.Action, "sns:Publish");
        assert.equal(statement.Resource, topicArn);
      }
      assert.deepEqual(byService["codestar-notifications.amazonaws.com"].Condition, {
        StringEquals: { "aws:SourceAccount": mockAccountId },
      });
      assert.deepEqual(byService["cloudwatch.amazonaws.com"].Condition, {
        StringEquals: { "aws:SourceAccount": mockAccountId },
        ArnLike: {
          "aws:SourceArn": `arn:aws:cloudwatch:${run.engineConfig.config["aws:region"]}:${mockAccountId}:alarm:*`,
        },
      });
    });

    it("has a key the two publishers may use only to encrypt and read messages, administered by the account", () => {
      const statements = policyOf(one("aws:kms/key:Key")).Statement;
      const principals = statements.map((s) => s.Principal);
      assert.deepEqual(principals, [
        { AWS: `arn:aws:iam::${mockAccountId}:root` },
        { Service: "codestar-notifications.amazonaws.com" },
        { Service: "cloudwatch.amazonaws.com" },
      ]);
      for (const service of statements.slice(1))
        assert.deepEqual(service.Action, ["kms:GenerateDataKey*", "kms:Decrypt"]);
    });

    it("mails the stack's notification addresses", () => {
      const mails = within.filter(
        (r) =>
          r.type === "aws:sns/topicSubscription:TopicSubscription" && r.inputs.protocol === "email",
      );
      assert.deepEqual(
        mails.map((m) => [m.inputs.endpoint, reveal(m.inputs.topic)]),
        [["dev-team@example.com", topicArn]],
      );
    });

    it("is a stack output, and the service's alarms notify it", () => {
      assert.equal(run.outputs.notificationTopicArn, topicArn);
      const alarms = resourcesOfType(run, "aws:cloudwatch/metricAlarm:MetricAlarm");
      assert.ok(alarms.length > 0);
      for (const alarm of alarms)
        assert.deepEqual(
          reveal([alarm.inputs.alarmActions, alarm.inputs.okActions]),
          [[topicArn], [topicArn]],
          alarm.name,
        );
    });
  });

  describe("the Slack notifier", () => {
    it("runs the bundled notifier on Node.js 22, arm64, with its secret, environment and queue named in its environment", async () => {
      const fn = one("aws:lambda/function:Function", "-slack-function");
      assert.equal(fn.inputs.runtime, "nodejs22.x");
      assert.deepEqual(fn.inputs.architectures, ["arm64"]);
      assert.equal(fn.inputs.handler, "handler.handler");
      const code = fn.inputs.code as pulumi.asset.AssetArchive;
      assert.ok(pulumi.asset.Archive.isInstance(code));
      const bundle = (await code.assets)["handler.js"] as pulumi.asset.FileAsset;
      assert.equal(
        path.resolve(await bundle.path),
        path.join(projectRoot, "dist/lambdas/slack-notifier/handler.js"),
      );
      const queue = one("aws:sqs/queue:Queue");
      assert.deepEqual(reveal(fn.inputs.environment), {
        variables: {
          SLACK_SECRET_ARN: mockedArn(run, one("aws:secretsmanager/secret:Secret")),
          ENVIRONMENT: "dev",
          DEAD_LETTER_QUEUE_URL: `https://sqs.${run.engineConfig.config["aws:region"]}.amazonaws.com/${mockAccountId}/${queue.name}`,
        },
      });
    });

    it("keeps what it cannot deliver in an encrypted dead-letter queue, after two retries by Lambda", () => {
      const fn = one("aws:lambda/function:Function");
      const queue = one("aws:sqs/queue:Queue");
      assert.equal(queue.inputs.sqsManagedSseEnabled, true);
      assert.deepEqual(reveal(fn.inputs.deadLetterConfig), { targetArn: mockedArn(run, queue) });
      const retries = one("aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig");
      assert.equal(retries.inputs.maximumRetryAttempts, 2);
      assert.equal(reveal(retries.inputs.functionName), fn.name);
    });

    it("has an alarm that tells the topic (Slack and e-mail) when one message waits in its dead-letter queue, and when none does", () => {
      const alarm = one("aws:cloudwatch/metricAlarm:MetricAlarm", "-slack-dead-letters-alarm");
      const queue = one("aws:sqs/queue:Queue");
      assert.deepEqual(
        [alarm.inputs.namespace, alarm.inputs.metricName, alarm.inputs.statistic],
        ["AWS/SQS", "ApproximateNumberOfMessagesVisible", "Maximum"],
      );
      assert.deepEqual(reveal(alarm.inputs.dimensions), { QueueName: queue.name });
      assert.deepEqual(
        [alarm.inputs.comparisonOperator, alarm.inputs.threshold],
        ["GreaterThanThreshold", 0],
      );
      assert.deepEqual(reveal([alarm.inputs.alarmActions, alarm.inputs.okActions]), [
        [topicArn],
        [topicArn],
      ]);
      const mailed = within
        .filter(
          (r) =>
            r.type === "aws:sns/topicSubscription:TopicSubscription" &&
            r.inputs.protocol === "email",
        )
        .map((m) => reveal(m.inputs.topic));
      assert.ok(
        mailed.length > 0 && mailed.every((topic) => topic === topicArn),
        "e-mail subscribers hear of it",
      );
    });

    it("is invoked by the topic alone, through a lambda subscription", () => {
      const fn = one("aws:lambda/function:Function");
      const permission = one("aws:lambda/permission:Permission");
      assert.deepEqual(
        [
          permission.inputs.action,
          permission.inputs.principal,
          reveal(permission.inputs.sourceArn),
        ],
        ["lambda:InvokeFunction", "sns.amazonaws.com", topicArn],
      );
      const subscription = within.filter(
        (r) =>
          r.type === "aws:sns/topicSubscription:TopicSubscription" &&
          r.inputs.protocol === "lambda",
      );
      assert.deepEqual(
        subscription.map((s) => [reveal(s.inputs.topic), reveal(s.inputs.endpoint)]),
        [[topicArn, mockedArn(run, fn)]],
      );
    });

    it("logs to its own log group, kept for the stack's retention", () => {
      const logGroup = one("aws:cloudwatch/logGroup:LogGroup");
      assert.equal(logGroup.inputs.retentionInDays, 14);
      assert.equal(
        (reveal(one("aws:lambda/function:Function").inputs.loggingConfig) as { logGroup: string })
          .logGroup,
        logGroup.name,
      );
    });

    it("may only write its logs, read its secret, decrypt with its key and send to its queue", () => {
      const statements = policyOf(one("aws:iam/rolePolicy:RolePolicy")).Statement;
      assert.deepEqual(
        statements.map((s) => [s.Action, s.Resource]),
        [
          [
            ["logs:CreateLogStream", "logs:PutLogEvents"],
            `${mockedArn(run, one("aws:cloudwatch/logGroup:LogGroup"))}:*`,
          ],
          [
            "secretsmanager:GetSecretValue",
            mockedArn(run, one("aws:secretsmanager/secret:Secret")),
          ],
          ["kms:Decrypt", keyArn],
          ["sqs:SendMessage", mockedArn(run, one("aws:sqs/queue:Queue"))],
        ],
      );
    });
  });

  describe("the Slack webhook URL", () => {
    let url: string;
    before(() => {
      url = run.engineConfig.config["pipelines:slackWebhookUrl"];
      assert.ok(run.engineConfig.secretKeys.includes("pipelines:slackWebhookUrl") && url);
    });

    it("goes only into the Secrets Manager secret, as a secret, encrypted with the component's key", () => {
      const carriers = run.resources.filter((r) => JSON.stringify(reveal(r.inputs)).includes(url));
      assert.deepEqual(
        carriers.map((r) => r.type),
        ["aws:secretsmanager/secretVersion:SecretVersion"],
      );
      const version = carriers[0];
      assert.ok(isSecretValue(version.inputs.secretString), "secretString is not marked secret");
      assert.equal(reveal(version.inputs.secretString), url);
      const secret = one("aws:secretsmanager/secret:Secret");
      assert.equal(reveal(version.inputs.secretId), secret.name);
      assert.equal(reveal(secret.inputs.kmsKeyId), keyArn);
    });

    it("appears nowhere in plaintext: no resource input, no stack output", () => {
      const inClear = [
        ...run.resources.flatMap((r) =>
          plainStrings(r.inputs)
            .filter((s) => s.text.includes(url))
            .map((s) => `${r.urn} ${s.path}`),
        ),
        ...plainStrings(run.outputs)
          .filter((s) => s.text.includes(url))
          .map((s) => `stack output ${s.path}`),
      ];
      assert.deepEqual(inClear, []);
      assert.ok(
        !JSON.stringify(reveal(run.outputs)).includes(url),
        "a stack output carries the URL, even if as a secret",
      );
    });
  });
});
