import { strict as assert } from "node:assert";
import * as pulumi from "@pulumi/pulumi";
import { readStackSettings, SettingsError } from "../../stacks";
import { settingsOf } from "../pipeline/settings-fixture";
import { loadStackConfig } from "../../tooling/mocks/stack-config";

/** The dev stack file (with edits) read as the stack `name`. */
function readAs(name: string, edit: Record<string, unknown> = {}) {
  const engine = loadStackConfig("dev", { edit });
  return readStackSettings(
    {
      get: (key) => engine.config[key],
      isSecret: (key) => engine.secretKeys.includes(key),
      secret: (key) => pulumi.secret(engine.config[key] ?? ""),
      keys: () => Object.keys(engine.config),
    },
    engine.project,
    name,
  );
}
function problemsOf(name: string, edit: Record<string, unknown> = {}): string[] {
  try {
    readAs(name, edit);
  } catch (error) {
    // The CLI itself (and the harness, as it does) refuses a value of the wrong type before the program runs.
    return error instanceof SettingsError ? [...error.problems] : [(error as Error).message];
  }
  return [];
}

describe("review stack config", () => {
  it("is on for dev and off for production, with a 72-hour TTL and at most 5 stacks by default", () => {
    assert.deepEqual(settingsOf("dev").reviewStacks, { enabled: true, ttlHours: 72, maxStacks: 5 });
    assert.deepEqual(settingsOf("production").reviewStacks, {
      enabled: false,
      ttlHours: 72,
      maxStacks: 5,
    });
    assert.equal(settingsOf("dev").review, undefined);
  });

  const cases: Array<[string, Record<string, unknown>, RegExp]> = [
    [
      "a TTL of 0",
      { reviewStackTtlHours: 0 },
      /^pipelines:reviewStackTtlHours: must be at least 1 \(got 0\)$/,
    ],
    [
      "a TTL that is not a number",
      { reviewStackTtlHours: "three days" },
      /key 'pipelines:reviewStackTtlHours' must be of type 'integer'/,
    ],
    [
      "a cap of 0",
      { maxReviewStacks: 0 },
      /^pipelines:maxReviewStacks: must be at least 1 \(got 0\)$/,
    ],
    [
      "a switch that is neither true nor false",
      { reviewStacks: "sometimes" },
      /key 'pipelines:reviewStacks' must be of type 'boolean'/,
    ],
  ];
  for (const [what, edit, expected] of cases) {
    it(`refuses ${what}, naming the key`, () => {
      const problems = problemsOf("dev", edit);
      assert.ok(
        problems.some((p) => expected.test(p)),
        problems.join(" | "),
      );
    });
  }

  it("refuses a real stack named like a review stack, which a teardown would destroy", () => {
    const problems = problemsOf("pr-7");
    assert.ok(
      problems.some((p) =>
        /^pipelines:reviewOf: is required for stack pr-7: names pr-<number> are kept for review stacks/.test(
          p,
        ),
      ),
      problems.join(" | "),
    );
  });

  it("refuses reviewOf on a stack that is not a review stack, and a review stack of a review stack", () => {
    assert.ok(
      problemsOf("dev", { reviewOf: "production" }).some((p) =>
        p.startsWith(
          "pipelines:reviewOf: must be empty: only a review stack (pr-<number>) copies another stack, and this is dev",
        ),
      ),
    );
    assert.ok(
      problemsOf("pr-7", { reviewOf: "pr-3" }).some((p) =>
        p.startsWith("pipelines:reviewOf: must name a real stack, not the review stack pr-3"),
      ),
    );
  });

  // The review build's config over dev's: the review tag, and its own scope in place of dev's.
  const reviewTags = (scope: string) => ({
    tags: { "pipelines:scope": scope, "pipelines:review-stack": "pr-7" },
  });

  it("refuses a review stack that keeps its base's scope tag, which would make its resources dev's", () => {
    const problems = problemsOf("pr-7", {
      reviewOf: "dev",
      "aws:defaultTags": reviewTags("pipelines-dev"),
    });
    assert.ok(
      problems.some((p) =>
        p.startsWith(
          'aws:defaultTags: must tag every resource with pipelines:scope: pipelines-pr-7 (got "pipelines-dev")',
        ),
      ),
      problems.join(" | "),
    );
  });

  it("reads a review stack as its base stack's settings with the review overrides", () => {
    const settings = readAs("pr-7", {
      reviewOf: "dev",
      "aws:defaultTags": reviewTags("pipelines-pr-7"),
    });
    assert.equal(settings.environment, "pr-7");
    assert.deepEqual(settings.review?.database, { name: "review_pr_7", role: "review_pr_7" });
    assert.equal(settings.pullRequestPreviews, false);
  });
});
