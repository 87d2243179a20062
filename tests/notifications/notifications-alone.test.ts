import { strict as assert } from "node:assert";
import * as pulumi from "@pulumi/pulumi";
import {
  Notifications,
  notificationsWanted,
  type NotificationsArgs,
} from "../../components/notifications";
import {
  aloneRoles,
  ofType,
  runComponent,
  type RegisteredResource,
} from "../support/component-run";
import { isSecretValue, reveal } from "../../tooling/mocks/program-run";

/** Notifications' arguments written out by hand: no stack file, no settings reader. */
const args: NotificationsArgs = {
  environment: "staging",
  region: "eu-west-1",
  pipelineArn: "arn:aws:codepipeline:eu-west-1:111122223333:beans-staging",
  emails: ["ops@example.com"],
  slackWebhookUrl: pulumi.secret("https://hooks.slack.com/services/T0/B0/alone"),
  logRetentionDays: 7,
  roles: aloneRoles,
};

describe("the Notifications component built alone from its arguments", () => {
  let resources: RegisteredResource[];
  before(async () => {
    resources = await runComponent(() => new Notifications("alerts", args), args.region);
  });

  it("registers as pipelines:notifications:Notifications, its type token naming its class", () => {
    const [component] = resources.filter((r) => r.name === "alerts");
    assert.equal(component.type, "pipelines:notifications:Notifications");
    assert.equal(component.type.split(":").pop(), Notifications.name);
  });

  it("watches the given pipeline and mails the given addresses", () => {
    const [rule] = ofType(resources, "aws:codestarnotifications/notificationRule:NotificationRule");
    assert.equal(rule.inputs.resource, args.pipelineArn);
    assert.deepEqual(
      ofType(resources, "aws:sns/topicSubscription:TopicSubscription")
        .filter((s) => s.inputs.protocol === "email")
        .map((s) => s.inputs.endpoint),
      ["ops@example.com"],
    );
  });

  it("names the environment, works in the given region, and keeps logs as long as it is told", () => {
    assert.equal(
      ofType(resources, "aws:sns/topic:Topic")[0].inputs.displayName,
      "staging pipeline",
    );
    const [fn] = ofType(resources, "aws:lambda/function:Function");
    assert.equal(
      (reveal(fn.inputs.environment) as { variables: Record<string, string> }).variables
        .ENVIRONMENT,
      "staging",
    );
    assert.deepEqual(
      ofType(resources, "aws:cloudwatch/logGroup:LogGroup").map((g) => g.inputs.retentionInDays),
      [7],
    );
    assert.match(
      JSON.stringify(reveal(ofType(resources, "aws:kms/key:Key")[0].inputs.policy)),
      /eu-west-1/,
    );
  });

  it("puts the notifier's role under the given path with the given boundary", () => {
    assert.deepEqual(
      ofType(resources, "aws:iam/role:Role").map((r) => [
        r.inputs.path,
        r.inputs.permissionsBoundary,
      ]),
      [["/beans/staging/", args.roles.permissionsBoundary]],
    );
  });

  it("keeps the Slack webhook URL a secret, in Secrets Manager", () => {
    const [secret] = ofType(resources, "aws:secretsmanager/secretVersion:SecretVersion");
    assert.ok(isSecretValue(secret.inputs.secretString));
    assert.equal(
      reveal(secret.inputs.secretString),
      "https://hooks.slack.com/services/T0/B0/alone",
    );
  });

  it("without a Slack webhook builds no notifier, and with nobody to tell is not wanted", async () => {
    const mailOnly = await runComponent(
      () => new Notifications("mail", { ...args, slackWebhookUrl: undefined }),
      args.region,
    );
    assert.deepEqual(ofType(mailOnly, "aws:lambda/function:Function"), []);
    assert.equal(notificationsWanted({ emails: [] }), false);
    assert.equal(notificationsWanted({}), false);
    assert.equal(notificationsWanted({ emails: ["a@example.com"] }), true);
    assert.equal(notificationsWanted({ slackWebhookUrl: args.slackWebhookUrl }), true);
  });
});
