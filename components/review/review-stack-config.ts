import { scopeTagKey } from "../iam/role-scope";
import { reviewStackScopeTag } from "./review-scope";
import { reviewStackTagKey, type ReviewStack } from "./review-settings";

/** Prefix of every physical name of a review stack's resources: what the review role's boundary allows. */
export const reviewResourcePrefix = "review-";

/** One `pulumi config set` a review build makes on the review stack, over the config it copied from its base. */
export interface ConfigSetting {
  readonly key: string;
  readonly value: string;
  /** The key is a path into a map (`--path`). */
  readonly path?: boolean;
}

/**
 * What a review stack sets over its base stack's config: which stack it reviews, the tag the teardown looks for on
 * every resource and its own scope tag in place of the base's (the AWS provider's default tags), and names that start
 * with `review-<stack>-`, so the review role can create them and nothing of dev's or production's.
 */
export function reviewStackConfig(review: ReviewStack, project: string): ConfigSetting[] {
  return [
    { key: `${project}:reviewOf`, value: review.baseStack },
    { key: `aws:defaultTags.tags["${reviewStackTagKey}"]`, value: review.stack, path: true },
    // The copied config names the base's scope: its Deploy role and boundary would take the review stack's resources as the base's.
    {
      key: `aws:defaultTags.tags["${scopeTagKey}"]`,
      value: reviewStackScopeTag(project, review.stack),
      path: true,
    },
    // The pattern's ${stack} and ${name} are Pulumi's autonaming variables, not template literals.
    {
      key: "pulumi:autonaming.pattern",
      value: `${reviewResourcePrefix}\${stack}-\${name}-\${hex(6)}`,
      path: true,
    },
  ];
}

/** The CLI arguments of one setting. */
export const configSetArgs = (stack: string, setting: ConfigSetting): string[] => [
  "config",
  "set",
  ...(setting.path ? ["--path"] : []),
  setting.key,
  setting.value,
  "--stack",
  stack,
  "--non-interactive",
];
