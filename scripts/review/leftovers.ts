/** What a review stack left behind: every resource that still carries its tag, from the Resource Groups Tagging API. */
import {
  paginateGetResources,
  type ResourceGroupsTaggingAPIClient,
} from "@aws-sdk/client-resource-groups-tagging-api";
import { reviewStackTagKey } from "../../components/review/review-settings";

export interface LeftoverCheck {
  /** The Resource Groups Tagging API client of the stack's region. */
  readonly client: ResourceGroupsTaggingAPIClient;
  /** The review stack whose tag to look for. */
  readonly stack: string;
  /** Times to look again while something is still listed: the API lags deletions by minutes. @default 5 */
  readonly attempts?: number;
  /** Milliseconds between attempts. @default 30000 */
  readonly delayMs?: number;
}

/** ARNs of the resources tagged with the stack, across every page. */
export async function taggedResources(
  client: ResourceGroupsTaggingAPIClient,
  stack: string,
): Promise<string[]> {
  const arns: string[] = [];
  const pages = paginateGetResources(
    { client, pageSize: 100 },
    { TagFilters: [{ Key: reviewStackTagKey, Values: [stack] }] },
  );
  for await (const page of pages) {
    for (const mapping of page.ResourceTagMappingList ?? [])
      if (mapping.ResourceARN) arns.push(mapping.ResourceARN);
  }
  return arns;
}

/** The review stacks (tag values) that still have tagged resources, whatever their state says. */
export async function taggedReviewStacks(
  client: ResourceGroupsTaggingAPIClient,
): Promise<string[]> {
  const stacks = new Set<string>();
  for await (const page of paginateGetResources(
    { client, pageSize: 100 },
    { TagFilters: [{ Key: reviewStackTagKey }] },
  )) {
    for (const mapping of page.ResourceTagMappingList ?? []) {
      const value = mapping.Tags?.find((tag) => tag.Key === reviewStackTagKey)?.Value;
      if (value) stacks.add(value);
    }
  }
  return [...stacks].sort();
}

/** The resources still tagged with the stack after the given attempts; empty means nothing leaked. */
export async function leftoversOf(check: LeftoverCheck): Promise<string[]> {
  const attempts = check.attempts ?? 5;
  let arns = await taggedResources(check.client, check.stack);
  for (let attempt = 1; attempt < attempts && arns.length > 0; attempt++) {
    await new Promise((resolve) => setTimeout(resolve, check.delayMs ?? 30_000));
    arns = await taggedResources(check.client, check.stack);
  }
  return arns;
}
