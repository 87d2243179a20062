import { strict as assert } from "node:assert";
import { descendantsOf, resourcesOfType, programRun, theResource } from "../support/harness";
import { type ProgramRun } from "../../tooling/mocks/program-run";

const slackUrl = "pipelines:slackWebhookUrl";
const emails = "pipelines:notificationEmails";

describe("notifications switched by the stack's config", () => {
  describe("with neither a Slack webhook nor an e-mail address", () => {
    let run: ProgramRun;
    before(async () => {
      run = await programRun("dev", { [slackUrl]: undefined, [emails]: [] });
    });

    it("creates nothing: no component, topic, key, rule or function of notifications", () => {
      assert.deepEqual(
        run.resources
          .filter((r) => r.type.startsWith("pipelines:notifications:"))
          .map((r) => r.urn),
        [],
      );
      assert.deepEqual(
        resourcesOfType(run, "aws:codestarnotifications/notificationRule:NotificationRule"),
        [],
      );
      assert.equal(run.outputs.notificationTopicArn, undefined);
    });
  });

  describe("with e-mail addresses but no Slack webhook", () => {
    let run: ProgramRun;
    before(async () => {
      run = await programRun("dev", {
        [slackUrl]: undefined,
        [emails]: ["a@example.com", "b@example.com"],
      });
    });

    it("mails every address and has no Slack notifier", () => {
      const within = descendantsOf(run, theResource(run, "pipelines:notifications:Notifications"));
      const subscriptions = within.filter(
        (r) => r.type === "aws:sns/topicSubscription:TopicSubscription",
      );
      assert.deepEqual(
        subscriptions.map((s) => [s.inputs.protocol, s.inputs.endpoint]),
        [
          ["email", "a@example.com"],
          ["email", "b@example.com"],
        ],
      );
      assert.deepEqual(
        within
          .filter((r) => /SlackNotifier|lambda|secretsmanager|sqs|metricAlarm/.test(r.type))
          .map((r) => r.type),
        [],
      );
      assert.ok(typeof run.outputs.notificationTopicArn === "string");
    });
  });
});
