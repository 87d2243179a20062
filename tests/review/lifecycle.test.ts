import { strict as assert } from "node:assert";
import {
  nextReviewState,
  type ReviewEffect,
  type ReviewEvent,
  type ReviewLimits,
  type ReviewStackStates,
} from "../../components/review";

const limits: ReviewLimits = { maxStacks: 2, ttlHours: 72 };
const hour = 3_600_000;
const start = Date.UTC(2026, 11, 1, 9);

/** Plays events from no review stacks; returns the final stacks and every effect, in order. */
function play(events: readonly ReviewEvent[], from: ReviewStackStates = new Map()) {
  let stacks = from;
  const effects: ReviewEffect[] = [];
  for (const event of events) {
    const step = nextReviewState(stacks, event, limits);
    stacks = step.stacks;
    effects.push(...step.effects);
  }
  return { stacks, effects };
}
const kinds = (effects: readonly ReviewEffect[]) =>
  effects.map((e) => `${e.kind}#${"pullRequest" in e ? e.pullRequest : ""}`);
const open = (pullRequest: number): ReviewEvent => ({ kind: "opened", pullRequest });
const push = (pullRequest: number): ReviewEvent => ({ kind: "pushed", pullRequest });
const close = (pullRequest: number): ReviewEvent => ({ kind: "closed", pullRequest });
const deployed = (pullRequest: number, at = start): ReviewEvent => ({
  kind: "deployFinished",
  pullRequest,
  at,
});
const tornDown = (pullRequest: number, leftovers: string[] = []): ReviewEvent => ({
  kind: "teardownFinished",
  pullRequest,
  leftovers,
});
const sweep = (at: number, ...openPullRequests: number[]): ReviewEvent => ({
  kind: "swept",
  at,
  openPullRequests: new Set(openPullRequests),
});

describe("the review stack lifecycle", () => {
  it("open: deploys, and the pull request gets the URL once the deploy finishes", () => {
    const { stacks, effects } = play([open(7), deployed(7)]);
    assert.deepEqual(kinds(effects), ["deploy#7", "commentUrl#7"]);
    assert.equal(stacks.get(7)?.phase, "running");
  });

  it("push: deploys the running stack again", () => {
    const { stacks, effects } = play([open(7), deployed(7), push(7), deployed(7, start + hour)]);
    assert.deepEqual(kinds(effects), ["deploy#7", "commentUrl#7", "deploy#7", "commentUrl#7"]);
    assert.equal(stacks.get(7)?.deployedAt, start + hour);
  });

  it("push during a deploy: no second deploy racing the first, one more after it with the newest commit", () => {
    const during = play([open(7), push(7), push(7)]);
    assert.deepEqual(kinds(during.effects), ["deploy#7"]);
    assert.equal(during.stacks.get(7)?.redeploy, true);
    const after = play([deployed(7), deployed(7)], during.stacks);
    assert.deepEqual(kinds(after.effects), ["deploy#7", "commentUrl#7"]);
  });

  it("close during a deploy: tears down, and the deploy that ends afterwards brings nothing back", () => {
    const { stacks, effects } = play([open(7), close(7), deployed(7), tornDown(7)]);
    assert.deepEqual(kinds(effects), ["deploy#7", "teardown#7"]);
    assert.equal(stacks.has(7), false);
  });

  it("reopen: a closed pull request's stack comes back; reopened during teardown, it deploys when the teardown ends", () => {
    const reopened = play([
      open(7),
      deployed(7),
      close(7),
      tornDown(7),
      { kind: "reopened", pullRequest: 7 },
    ]);
    assert.deepEqual(kinds(reopened.effects), [
      "deploy#7",
      "commentUrl#7",
      "teardown#7",
      "deploy#7",
    ]);
    const racing = play([
      open(7),
      deployed(7),
      close(7),
      { kind: "reopened", pullRequest: 7 },
      tornDown(7),
    ]);
    assert.deepEqual(kinds(racing.effects), ["deploy#7", "commentUrl#7", "teardown#7", "deploy#7"]);
    assert.equal(racing.stacks.get(7)?.phase, "deploying");
  });

  it("a close that never arrives (conflicted pull request): the sweeper finds it closed and tears it down", () => {
    const missed = play([open(7), deployed(7), { kind: "closedUnseen", pullRequest: 7 }]);
    assert.deepEqual(kinds(missed.effects), ["deploy#7", "commentUrl#7"]);
    assert.equal(missed.stacks.get(7)?.phase, "running", "nothing happens without the event");
    const swept = play([sweep(start + hour), tornDown(7)], missed.stacks);
    assert.deepEqual(swept.effects, [{ kind: "teardown", pullRequest: 7, reason: "closed" }]);
    assert.equal(swept.stacks.size, 0);
  });

  it("TTL: the sweeper removes a stack once no deploy for ttlHours, not an hour before; a later push brings it back", () => {
    const running = play([open(7), deployed(7)]).stacks;
    assert.deepEqual(play([sweep(start + 71 * hour, 7)], running).effects, []);
    const expired = play([sweep(start + 72 * hour, 7), tornDown(7), push(7)], running);
    assert.deepEqual(kinds(expired.effects), ["teardown#7", "deploy#7"]);
    assert.deepEqual(expired.effects[0], { kind: "teardown", pullRequest: 7, reason: "expired" });
  });

  it("cap reached: the next pull request gets a comment, not a deploy; it deploys on a push once a slot is free", () => {
    const full = play([open(1), open(2), open(3)]);
    assert.deepEqual(kinds(full.effects), ["deploy#1", "deploy#2", "commentCapReached#3"]);
    assert.deepEqual(full.effects[2], { kind: "commentCapReached", pullRequest: 3, maxStacks: 2 });
    assert.equal(full.stacks.get(3)?.phase, "waitingForSlot");
    const freed = play([deployed(1), close(1), tornDown(1), push(3)], full.stacks);
    assert.deepEqual(kinds(freed.effects), ["commentUrl#1", "teardown#1", "deploy#3"]);
  });

  it("a teardown that leaves resources keeps the slot, reports them, and the sweeper tries again", () => {
    const left = play([
      open(7),
      deployed(7),
      close(7),
      tornDown(7, ["arn:aws:logs:us-east-1:1:log-group:pr-7"]),
    ]);
    assert.deepEqual(kinds(left.effects), [
      "deploy#7",
      "commentUrl#7",
      "teardown#7",
      "reportLeftovers#7",
    ]);
    assert.equal(left.stacks.get(7)?.phase, "tearingDown");
    const retried = play([sweep(start + hour), tornDown(7)], left.stacks);
    assert.deepEqual(kinds(retried.effects), ["teardown#7"]);
    assert.equal(retried.stacks.size, 0);
  });

  it("the sweeper forgets a waiting pull request that closed, and leaves open, fresh stacks alone", () => {
    const state = play([open(1), open(2), open(3), deployed(1), deployed(2)]).stacks;
    const swept = play([sweep(start + hour, 1, 2)], state);
    assert.deepEqual(swept.effects, []);
    assert.deepEqual([...swept.stacks.keys()], [1, 2]);
  });
});
