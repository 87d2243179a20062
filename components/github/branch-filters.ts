import type * as aws from "@pulumi/aws";

/** The git ref a push to `branch` carries in GitHub's push event. */
export const branchRef = (branch: string) => `refs/heads/${branch}`;

// Branch names may hold regular-expression characters (release-1.0); CodeBuild filter patterns are regular expressions.
const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** The pull-request events that start a preview: opened, pushed to, reopened. */
export const pullRequestEvents = [
  "PULL_REQUEST_CREATED",
  "PULL_REQUEST_UPDATED",
  "PULL_REQUEST_REOPENED",
] as const;

/** CodePipeline webhook filters: only pushes to the stack's branch start its pipeline. */
export function pushFilters(branch: string): aws.types.input.codepipeline.WebhookFilter[] {
  return [{ jsonPath: "$.ref", matchEquals: branchRef(branch) }];
}

/** The pull-request events that end a review stack: closed, or merged (GitHub's `closed` with `merged` true). */
export const pullRequestEndEvents = ["PULL_REQUEST_CLOSED", "PULL_REQUEST_MERGED"] as const;

/**
 * CodeBuild webhook filter groups: a pull request event (by default opened, updated or reopened) whose base is the
 * branch, and, given GitHub user ids, only one whose sender (ACTOR_ACCOUNT_ID) is one of them.
 */
export function pullRequestFilterGroups(
  branch: string,
  events: readonly string[] = pullRequestEvents,
  actorIds: readonly string[] = [],
): aws.types.input.codebuild.WebhookFilterGroup[] {
  return [
    {
      filters: [
        { type: "EVENT", pattern: events.join(",") },
        { type: "BASE_REF", pattern: `^${escapeRegExp(branchRef(branch))}$` },
        ...(actorIds.length > 0
          ? [{ type: "ACTOR_ACCOUNT_ID", pattern: actorPattern(actorIds) }]
          : []),
      ],
    },
  ];
}

/** The ACTOR_ACCOUNT_ID pattern of exactly these GitHub user ids (numbers, so nothing in them needs escaping). */
export function actorPattern(actorIds: readonly string[]): string {
  const bad = actorIds.find((id) => !/^[1-9]\d*$/.test(id));
  if (bad !== undefined) throw new Error(`GitHub user ids are numbers; got "${bad}"`);
  return `^(${actorIds.join("|")})$`;
}
