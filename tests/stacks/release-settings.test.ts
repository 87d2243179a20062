import { strict as assert } from "node:assert";
import {
  isScheduleExpression,
  parseDeployWindow,
} from "../../components/pipeline/release/schedules";
import { settingsOf, settingsProblemsOf } from "../pipeline/settings-fixture";

const problemsOf = settingsProblemsOf;

describe("release settings", () => {
  it("default to approval always, a 10-minute alarm watch and a daily drift check; dev turns the watch and drift off", () => {
    assert.deepEqual(settingsOf("production").release, {
      approval: "always",
      postDeployAlarmMinutes: 10,
      deployWindow: undefined,
      driftSchedule: "rate(1 day)",
    });
    assert.deepEqual(settingsOf("dev").release, {
      approval: "always",
      postDeployAlarmMinutes: 0,
      deployWindow: undefined,
      driftSchedule: undefined,
    });
  });

  it("read a deploy window as cron fields and a time zone", () => {
    assert.deepEqual(
      settingsOf("production", {
        "pipelines:deployWindow": "* 0-59 9-16 ? * MON-THU Europe/Berlin",
      }).release.deployWindow,
      { cron: "* 0-59 9-16 ? * MON-THU", timeZone: "Europe/Berlin" },
    );
    assert.deepEqual(parseDeployWindow("0 0 9 ? * MON * UTC"), {
      cron: "0 0 9 ? * MON *",
      timeZone: "UTC",
    });
    assert.equal(parseDeployWindow("  "), undefined);
  });

  const refused: ReadonlyArray<{
    readonly what: string;
    readonly stack: string;
    readonly edit: Record<string, unknown>;
    readonly problem: RegExp;
  }> = [
    {
      what: "an unknown approval mode",
      stack: "production",
      edit: { "pipelines:approval": "sometimes" },
      problem: /^pipelines:approval: must be one of: always, when-risky \(got "sometimes"\)$/,
    },
    {
      what: "when-risky without a Plan (deploy off)",
      stack: "production",
      edit: { "pipelines:approval": "when-risky", "pipelines:stages": ["test", "approval"] },
      problem:
        /^pipelines:approval: "when-risky" skips the approval when the Plan finds no risk, and only a stack with the "deploy" stage has a Plan/,
    },
    {
      what: "a negative alarm window",
      stack: "production",
      edit: { "pipelines:postDeployAlarmMinutes": -5 },
      problem: /^pipelines:postDeployAlarmMinutes: must be at least 0 \(got -5\)$/,
    },
    {
      what: "a cron with too few fields",
      stack: "production",
      edit: { "pipelines:deployWindow": "9-16 * * Europe/Berlin" },
      problem:
        /^pipelines:deployWindow: must be 6 or 7 cron fields .* \(got 3 fields before "Europe\/Berlin"\)/,
    },
    {
      what: "a cron field with characters it does not allow",
      stack: "production",
      edit: { "pipelines:deployWindow": "* 0-59 9-16 ? * FUNDAY Europe/Berlin" },
      problem:
        /^pipelines:deployWindow: cron field 6 \(day of week\) "FUNDAY" has characters that field does not allow/,
    },
    {
      what: "a time zone that does not exist",
      stack: "production",
      edit: { "pipelines:deployWindow": "* 0-59 9-16 ? * MON-THU Mars/Olympus" },
      problem:
        /^pipelines:deployWindow: "Mars\/Olympus" is not a time zone; use an IANA name such as Europe\/Berlin or UTC/,
    },
    {
      what: "a deploy window without the deploy stage",
      stack: "production",
      edit: { "pipelines:deployWindow": "* * * ? * * UTC", "pipelines:stages": ["test"] },
      problem:
        /^pipelines:deployWindow: a deploy window holds the Deploy stage, which this stack does not have/,
    },
    {
      what: "a drift schedule EventBridge does not read",
      stack: "production",
      edit: { "pipelines:driftSchedule": "daily" },
      problem:
        /^pipelines:driftSchedule: must be an EventBridge schedule, rate\(<n> <minutes\|hours\|days>\) or cron\(<6 fields>\), or empty/,
    },
  ];
  for (const { what, stack, edit, problem } of refused) {
    it(`refuses ${what}, naming the key`, () => {
      const problems = problemsOf(stack, edit);
      assert.ok(
        problems.some((p) => problem.test(p)),
        `expected ${problem} in:\n${problems.join("\n")}`,
      );
    });
  }

  it("knows EventBridge's schedule expressions", () => {
    for (const ok of ["rate(1 day)", "rate(12 hours)", "rate(30 minutes)", "cron(0 6 * * ? *)"])
      assert.ok(isScheduleExpression(ok), ok);
    for (const bad of [
      "rate(1 days)",
      "rate(2 day)",
      "rate(0 hours)",
      "cron(0 6 * *)",
      "0 6 * * ? *",
      "rate(1 week)",
    ])
      assert.ok(!isScheduleExpression(bad), bad);
  });
});
