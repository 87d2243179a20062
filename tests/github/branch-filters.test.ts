import { strict as assert } from "node:assert";
import {
  actorPattern,
  pullRequestFilterGroups,
  pushFilters,
} from "../../components/github/branch-filters";

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

  it("with an actor allow-list, start a preview only for events those GitHub users send", () => {
    const [group] = pullRequestFilterGroups("main", undefined, ["583231", "1024025"]);
    const actor = (group.filters as Array<{ type: string; pattern: string }>).find(
      (f) => f.type === "ACTOR_ACCOUNT_ID",
    )!;
    assert.equal(actor.pattern, "^(583231|1024025)$");
    const allowed = new RegExp(actor.pattern);
    assert.ok(allowed.test("583231") && allowed.test("1024025"));
    // Attack: an account whose id contains, starts or ends with a listed one.
    for (const other of ["5832310", "1583231", "58323", "583231|1", "1024025\n9"])
      assert.ok(!allowed.test(other), other);
    assert.equal(
      (pullRequestFilterGroups("main", undefined, []) as Array<{ filters: unknown[] }>)[0].filters
        .length,
      2,
      "no list: no actor filter",
    );
  });

  it("refuse an actor id that is not a number, so nothing widens the pattern", () => {
    assert.throws(() => actorPattern(["583231", ".*"]), /GitHub user ids are numbers; got "\.\*"/);
  });
});
