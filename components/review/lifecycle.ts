/**
 * The life of review stacks as a state machine: one pure function from (stacks, event) to (stacks, effects). The
 * review builds and the sweeper act on the effects; the tests walk it through what GitHub and CodeBuild can do in
 * any order (a push while a deploy runs, a close that never arrives, a cap that is full).
 */

/** Where one pull request's review stack is. */
export type ReviewPhase = "deploying" | "running" | "tearingDown" | "waitingForSlot";

export interface ReviewStackState {
  readonly phase: ReviewPhase;
  /** Whether the pull request is open, as far as anything seen so far says. */
  readonly pullRequestOpen: boolean;
  /** A push arrived while a deploy ran: deploy again, the newest commit, when it ends. */
  readonly redeploy: boolean;
  /** Milliseconds since the epoch of the last deploy that finished; the TTL counts from it. */
  readonly deployedAt?: number;
  /** What the last teardown could not remove (ARNs); the sweeper tries again. */
  readonly leftovers: readonly string[];
}

/** Every pull request's review stack, by pull-request number. A pull request without one has no entry. */
export type ReviewStackStates = ReadonlyMap<number, ReviewStackState>;

/** What happens to a pull request, from GitHub, CodeBuild or the clock. */
export type ReviewEvent =
  | { readonly kind: "opened" | "pushed" | "reopened" | "closed"; readonly pullRequest: number }
  /** The pull request closed but no event arrived (GitHub sends none CodeBuild acts on for a conflicted one). */
  | { readonly kind: "closedUnseen"; readonly pullRequest: number }
  | { readonly kind: "deployFinished"; readonly pullRequest: number; readonly at: number }
  | {
      readonly kind: "teardownFinished";
      readonly pullRequest: number;
      readonly leftovers: readonly string[];
    }
  /** The scheduled sweep: `openPullRequests` is what GitHub says now. */
  | { readonly kind: "swept"; readonly at: number; readonly openPullRequests: ReadonlySet<number> };

/** What the builds do in answer. */
export type ReviewEffect =
  | { readonly kind: "deploy"; readonly pullRequest: number }
  | { readonly kind: "teardown"; readonly pullRequest: number; readonly reason: TeardownReason }
  | { readonly kind: "commentCapReached"; readonly pullRequest: number; readonly maxStacks: number }
  | { readonly kind: "commentUrl"; readonly pullRequest: number }
  | {
      readonly kind: "reportLeftovers";
      readonly pullRequest: number;
      readonly leftovers: readonly string[];
    };

export type TeardownReason = "closed" | "expired";

export interface ReviewLimits {
  /** Review stacks that may exist at once (those waiting for a slot do not count). */
  readonly maxStacks: number;
  /** Hours after the last deploy at which the sweeper removes a stack. */
  readonly ttlHours: number;
}

export interface Transition {
  readonly stacks: ReviewStackStates;
  readonly effects: readonly ReviewEffect[];
}

const hour = 3_600_000;

/** How many review stacks hold a slot: every one that exists or is being made or removed. */
export function stacksInUse(stacks: ReviewStackStates): number {
  return [...stacks.values()].filter((s) => s.phase !== "waitingForSlot").length;
}

function fresh(phase: ReviewPhase): ReviewStackState {
  return { phase, pullRequestOpen: true, redeploy: false, leftovers: [] };
}

/** The next state of every review stack after one event, and what to do about it. */
export function nextReviewState(
  stacks: ReviewStackStates,
  event: ReviewEvent,
  limits: ReviewLimits,
): Transition {
  if (event.kind === "swept") return sweep(stacks, event.at, event.openPullRequests, limits);
  const pr = event.pullRequest;
  const current = stacks.get(pr);
  const next = new Map(stacks);
  const effects: ReviewEffect[] = [];
  const set = (state: ReviewStackState | undefined) =>
    state ? next.set(pr, state) : next.delete(pr);

  switch (event.kind) {
    case "opened":
    case "reopened":
    case "pushed": {
      if (current?.phase === "deploying")
        set({ ...current, pullRequestOpen: true, redeploy: true });
      else if (current?.phase === "tearingDown")
        set({ ...current, pullRequestOpen: true, redeploy: true });
      else if (current?.phase === "running") {
        set({ ...current, phase: "deploying", pullRequestOpen: true });
        effects.push({ kind: "deploy", pullRequest: pr });
      } else if (stacksInUse(stacks) >= limits.maxStacks) {
        set(fresh("waitingForSlot"));
        effects.push({ kind: "commentCapReached", pullRequest: pr, maxStacks: limits.maxStacks });
      } else {
        set(fresh("deploying"));
        effects.push({ kind: "deploy", pullRequest: pr });
      }
      break;
    }
    case "closed": {
      if (!current || current.phase === "waitingForSlot") set(undefined);
      // The teardown waits for the deploy's lock on the stack, then removes what the deploy made.
      else if (current.phase === "deploying") {
        set({ ...current, phase: "tearingDown", pullRequestOpen: false, redeploy: false });
        effects.push({ kind: "teardown", pullRequest: pr, reason: "closed" });
      } else if (current.phase === "running") {
        set({ ...current, phase: "tearingDown", pullRequestOpen: false });
        effects.push({ kind: "teardown", pullRequest: pr, reason: "closed" });
      } else set({ ...current, pullRequestOpen: false, redeploy: false });
      break;
    }
    case "closedUnseen":
      if (current) set({ ...current, pullRequestOpen: false });
      break;
    case "deployFinished": {
      if (current?.phase !== "deploying") break;
      if (current.redeploy) {
        set({ ...current, redeploy: false, deployedAt: event.at });
        effects.push({ kind: "deploy", pullRequest: pr });
      } else {
        set({ ...current, phase: "running", deployedAt: event.at });
        effects.push({ kind: "commentUrl", pullRequest: pr });
      }
      break;
    }
    case "teardownFinished": {
      if (current?.phase !== "tearingDown") break;
      if (event.leftovers.length > 0) {
        // The stack keeps its slot until the sweeper has removed what is left.
        set({ ...current, leftovers: event.leftovers });
        effects.push({ kind: "reportLeftovers", pullRequest: pr, leftovers: event.leftovers });
      } else if (current.redeploy && current.pullRequestOpen) {
        set(fresh("deploying"));
        effects.push({ kind: "deploy", pullRequest: pr });
      } else set(undefined);
      break;
    }
  }
  return { stacks: next, effects };
}

/** Removes the stacks of closed pull requests and those past their TTL; retries teardowns that left resources. */
function sweep(
  stacks: ReviewStackStates,
  at: number,
  open: ReadonlySet<number>,
  limits: ReviewLimits,
): Transition {
  const next = new Map(stacks);
  const effects: ReviewEffect[] = [];
  for (const [pr, state] of stacks) {
    const closed = !open.has(pr);
    if (state.phase === "waitingForSlot") {
      if (closed) next.delete(pr);
      continue;
    }
    const expired =
      state.phase === "running" &&
      state.deployedAt !== undefined &&
      at - state.deployedAt >= limits.ttlHours * hour;
    const retry = state.phase === "tearingDown" && state.leftovers.length > 0;
    if (state.phase === "running" && (closed || expired)) {
      next.set(pr, { ...state, phase: "tearingDown", pullRequestOpen: !closed });
      effects.push({ kind: "teardown", pullRequest: pr, reason: closed ? "closed" : "expired" });
    } else if (retry) {
      next.set(pr, { ...state, leftovers: [] });
      effects.push({
        kind: "teardown",
        pullRequest: pr,
        reason: state.pullRequestOpen && !closed ? "expired" : "closed",
      });
    }
  }
  return { stacks: next, effects };
}
