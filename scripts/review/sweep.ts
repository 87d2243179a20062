/**
 * The scheduled sweep: review stacks whose pull request closed (a close event can be missed: GitHub's for a
 * conflicted pull request, a failed build) or whose last deploy is older than the TTL are torn down, and so are
 * tagged resources whose stack is already gone. The lifecycle decides; this gathers what it decides on.
 */
import {
  nextReviewState,
  type ReviewLimits,
  type ReviewStackState,
  type TeardownReason,
} from "../../components/review/lifecycle";
import { pullRequestOfStack } from "../../components/review/review-stack-name";
import type { StackSummary } from "./pulumi-cli";
import type { TeardownReport } from "./teardown";

export interface SweepInputs {
  /** `pulumi stack ls --json` of the project. */
  readonly stacks: readonly StackSummary[];
  /** Review stacks that still have tagged resources, by the tag's value. */
  readonly taggedStacks: readonly string[];
  /** Whether each pull request is open now. */
  readonly isOpen: (pullRequest: number) => Promise<boolean>;
  readonly now: number;
  readonly limits: ReviewLimits;
}

export interface SweepDecision {
  readonly pullRequest: number;
  readonly reason: TeardownReason;
}

/** The review stacks as the lifecycle sees them, from the backend's stack list and the tagged resources. */
async function currentState(inputs: SweepInputs): Promise<Map<number, ReviewStackState>> {
  const states = new Map<number, ReviewStackState>();
  for (const summary of inputs.stacks) {
    const pullRequest = pullRequestOfStack(summary.name.split("/").pop() ?? "");
    if (pullRequest === undefined) continue;
    const deployedAt = summary.lastUpdate ? Date.parse(summary.lastUpdate) : undefined;
    states.set(pullRequest, {
      phase: summary.updateInProgress ? "deploying" : "running",
      pullRequestOpen: await inputs.isOpen(pullRequest),
      redeploy: false,
      // A stack never updated counts from now: the next sweep after the TTL removes it.
      deployedAt: Number.isNaN(deployedAt) ? inputs.now : (deployedAt ?? inputs.now),
      leftovers: [],
    });
  }
  for (const stack of inputs.taggedStacks) {
    const pullRequest = pullRequestOfStack(stack);
    if (pullRequest === undefined || states.has(pullRequest)) continue;
    // Resources without a stack: a teardown that left them; the sweep tries it again.
    states.set(pullRequest, {
      phase: "tearingDown",
      pullRequestOpen: await inputs.isOpen(pullRequest),
      redeploy: false,
      leftovers: [stack],
    });
  }
  return states;
}

/** Which review stacks to tear down now, and why. */
export async function sweepDecisions(inputs: SweepInputs): Promise<SweepDecision[]> {
  const states = await currentState(inputs);
  const open = new Set([...states].filter(([, s]) => s.pullRequestOpen).map(([pr]) => pr));
  const { effects } = nextReviewState(
    states,
    { kind: "swept", at: inputs.now, openPullRequests: open },
    inputs.limits,
  );
  return effects.flatMap((effect) =>
    effect.kind === "teardown" ? [{ pullRequest: effect.pullRequest, reason: effect.reason }] : [],
  );
}

/** What the sweep did, as lines for the build log. */
export function describeSweep(
  results: ReadonlyArray<{ decision: SweepDecision; report?: TeardownReport; error?: string }>,
): string {
  const removed = results.filter(
    (r) => r.report && r.report.failures.length === 0 && r.report.leftovers.length === 0,
  );
  const failed = results.filter((r) => !removed.includes(r));
  const lines = [
    `Sweep: ${results.length === 0 ? "no review stack to remove" : `removed ${removed.length}, could not remove ${failed.length}`}.`,
  ];
  for (const r of removed)
    lines.push(
      `- removed pr-${r.decision.pullRequest} (${r.decision.reason === "closed" ? "pull request closed" : "past its TTL"})`,
    );
  for (const r of failed) {
    const why =
      r.error ??
      [
        ...(r.report?.failures ?? []),
        ...(r.report?.leftovers.length
          ? [
              `${r.report.leftovers.length} resource(s) still tagged: ${r.report.leftovers.join(", ")}`,
            ]
          : []),
      ].join("; ");
    lines.push(`- could not remove pr-${r.decision.pullRequest}: ${why}`);
  }
  return lines.join("\n");
}
