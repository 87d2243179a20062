/** Review stacks are named `pr-<number>`; the name is how every build, the sweeper and the review role recognise one. */
import { parsePullRequestNumber } from "../../scripts/github/pull-request";

/** Prefix of every review stack's name; IAM names and tags of its resources start with it too. */
export const reviewStackPrefix = "pr-";

const reviewStackPattern = /^pr-([1-9]\d{0,9})$/;

/** Whether a stack name is a review stack's (`pr-<number>`). */
export function isReviewStackName(stack: string): boolean {
  return reviewStackPattern.test(stack);
}

/** The pull request of a review stack's name, or undefined for any other stack. */
export function pullRequestOfStack(stack: string): number | undefined {
  const match = reviewStackPattern.exec(stack);
  return match ? Number(match[1]) : undefined;
}

/**
 * The review stack of a pull request. `realStacks` are the stacks with a file in the repository (dev, production,
 * ...): a review stack with one of their names would be deployed over, and destroyed with, a real environment.
 */
export function reviewStackName(
  pullRequest: string | number,
  realStacks: readonly string[],
): string {
  const name = `${reviewStackPrefix}${parsePullRequestNumber(String(pullRequest), "the pull-request number")}`;
  if (realStacks.includes(name)) {
    throw new Error(
      `review stack ${name} would collide with the real stack ${name} (Pulumi.${name}.yaml): rename that stack, names ${reviewStackPrefix}<number> are kept for review stacks`,
    );
  }
  return name;
}
