import type { StackSettings } from "../../stacks/settings";
import { pullRequestOfStack } from "./review-stack-name";

/** Tag key every resource of a review stack carries (the stack's `aws:defaultTags`); teardown looks for it. */
export const reviewStackTagKey = "pipelines:review-stack";

/** What a review stack is, beside the settings it runs with. */
export interface ReviewStack {
  /** The review stack's name, `pr-<number>`. */
  readonly stack: string;
  /** The pull request it runs. */
  readonly pullRequest: number;
  /** The stack it copies, whose network and database instance it shares through a stack reference. */
  readonly baseStack: string;
  /** Tags on every resource, so the Resource Groups Tagging API can find what a teardown left. */
  readonly tags: Readonly<Record<string, string>>;
  /** The logical database and application role the migrator creates on the base stack's instance. */
  readonly database: { readonly name: string; readonly role: string };
}

/** The review stack's identity; throws for a stack that is not `pr-<number>`. */
export function reviewStackOf(stack: string, baseStack: string): ReviewStack {
  const pullRequest = pullRequestOfStack(stack);
  if (pullRequest === undefined)
    throw new Error(`${stack} is not a review stack name (pr-<number>)`);
  // PostgreSQL folds unquoted names to lower case and refuses '-': pr-12 becomes review_pr_12.
  const databaseName = `review_pr_${pullRequest}`;
  return {
    stack,
    pullRequest,
    baseStack,
    tags: { [reviewStackTagKey]: stack },
    database: { name: databaseName, role: databaseName },
  };
}

/**
 * A review stack's settings: its base stack's, with only the service left. No pipeline stages, no previews or
 * notifications, no review stacks of its own; the network and database instance come from the base stack.
 */
export function reviewSettings(base: StackSettings, review: ReviewStack): StackSettings {
  return {
    ...base,
    environment: review.stack,
    stages: { test: false, approval: false, deploy: false, publish: false },
    pullRequestPreviews: false,
    approval: { emails: [] },
    notifications: { emails: [] },
    reviewStacks: { ...base.reviewStacks, enabled: false },
    review,
  };
}
