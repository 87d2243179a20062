import { strict as assert } from "node:assert";
import { pullRequestFilterGroups, pushFilters } from "../../components/github/branch-filters";

describe("branch filters", () => {
  it("let only pushes to the branch through the pipeline webhook", () => {
    assert.deepEqual(pushFilters("production"), [
      { jsonPath: "$.ref", matchEquals: "refs/heads/production" },
    ]);
  });

  it("start a preview when a pull request against the branch is opened, updated or reopened", () => {
    const [group, ...others] = pullRequestFilterGroups("main");
    assert.deepEqual(others, []);
    assert.deepEqual(group.filters, [
      { type: "EVENT", pattern: "PULL_REQUEST_CREATED,PULL_REQUEST_UPDATED,PULL_REQUEST_REOPENED" },
      { type: "BASE_REF", pattern: "^refs/heads/main$" },
    ]);
  });

  it("match the base branch exactly, even when its name holds regular-expression characters", () => {
    const baseRef = (branch: string) => {
      const filter = (
        pullRequestFilterGroups(branch)[0].filters as Array<{ type: string; pattern: string }>
      ).find((f) => f.type === "BASE_REF")!;
      return new RegExp(filter.pattern);
    };
    assert.ok(baseRef("release-1.0").test("refs/heads/release-1.0"));
    assert.ok(!baseRef("release-1.0").test("refs/heads/release-1x0"));
    assert.ok(!baseRef("main").test("refs/heads/main-old"));
    assert.ok(!baseRef("main").test("refs/heads/feature/main"));
  });
});
