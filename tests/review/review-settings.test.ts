import { strict as assert } from "node:assert";
import {
  isReviewStackName,
  pullRequestOfStack,
  reviewSettings,
  reviewStackName,
  reviewStackOf,
} from "../../components/review";
import { settingsOf } from "../pipeline/settings-fixture";

describe("review stack names", () => {
  it("are pr-<number> for a pull-request number, and only that is a review stack", () => {
    assert.equal(reviewStackName(12, ["dev", "production"]), "pr-12");
    assert.equal(reviewStackName(" 12 ", ["dev"]), "pr-12");
    assert.equal(pullRequestOfStack("pr-12"), 12);
    for (const other of ["dev", "pr-", "pr-0", "pr-012", "pr-12a", "prod-12", "org/pr-12"])
      assert.equal(isReviewStackName(other), false, other);
  });

  for (const bad of ["abc", "12abc", "0", "-3", "1.5", "", "1e3", "12; rm -rf /"]) {
    it(`refuses the pull-request number ${JSON.stringify(bad)}, saying what is allowed`, () => {
      assert.throws(
        () => reviewStackName(bad, []),
        /the pull-request number must be a pull-request number \(a whole number from 1\)/,
      );
    });
  }

  it("refuses a review stack that would take a real stack's name", () => {
    assert.throws(
      () => reviewStackName(7, ["dev", "pr-7"]),
      /review stack pr-7 would collide with the real stack pr-7 \(Pulumi\.pr-7\.yaml\)/,
    );
  });
});

describe("review stack settings", () => {
  const dev = settingsOf("dev");
  const review = reviewStackOf("pr-12", "dev");
  const settings = reviewSettings(dev, review);

  it("name the stack, its pull request, its base, its tag, and its own logical database and role", () => {
    assert.deepEqual(review, {
      stack: "pr-12",
      pullRequest: 12,
      baseStack: "dev",
      tags: { "pipelines:review-stack": "pr-12" },
      database: { name: "review_pr_12", role: "review_pr_12" },
    });
    assert.throws(() => reviewStackOf("dev", "dev"), /dev is not a review stack name/);
  });

  it("keep only the service: no pipeline stages, previews, notifications or review stacks of their own", () => {
    assert.equal(settings.environment, "pr-12");
    assert.deepEqual(settings.stages, {
      test: false,
      approval: false,
      deploy: false,
      publish: false,
    });
    assert.equal(settings.pullRequestPreviews, false);
    assert.deepEqual(settings.notifications, { emails: [] });
    assert.equal(settings.reviewStacks.enabled, false);
    assert.equal(settings.review, review);
  });

  it("run the service as the base stack does", () => {
    assert.deepEqual(settings.service, dev.service);
    assert.deepEqual(settings.database, dev.database);
    assert.equal(settings.region, dev.region);
  });
});
