import { strict as assert } from "node:assert";
import { didYouMean, unknownKeyProblems } from "../../stacks/unknown-keys";

describe("unknown keys in the project's namespace", () => {
  const cases: Array<[string, string | undefined]> = [
    ["notificationEmail", "notificationEmails"],
    ["stage", "stages"],
    ["dbmultiaz", "dbMultiAz"],
    ["lambdaMemoryMB", "lambdaMemoryMb"],
    ["slackWebhookURL", "slackWebhookUrl"],
    ["colour", undefined],
  ];
  for (const [typed, meant] of cases) {
    it(`pipelines:${typed} ${meant ? `suggests pipelines:${meant}` : "suggests nothing"}`, () =>
      assert.equal(didYouMean(typed), meant));
  }

  it("names each unknown key and leaves known keys and other namespaces alone", () => {
    const problems = unknownKeyProblems(
      [
        "pipelines:stage",
        "pipelines:stages",
        "pipelines:webhookSecret",
        "aws:region",
        "github:owner",
        "pipelines:colour",
      ],
      "pipelines",
    );
    assert.equal(problems.length, 2);
    assert.match(
      problems[0],
      /^pipelines:stage: unknown key; did you mean pipelines:stages\? \(the keys are declared in Pulumi\.yaml/,
    );
    assert.match(
      problems[1],
      /^pipelines:colour: unknown key \(the keys are declared in Pulumi\.yaml; optional secrets: webhookSecret, /,
    );
  });
});
