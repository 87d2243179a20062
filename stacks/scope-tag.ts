import { roleScope, scopeTagKey } from "../components/iam/role-scope";
import type { ConfigSource } from "./read";

/**
 * The stack's secrets and keys must carry its scope tag: the Deploy role manages only those, and every role's
 * boundary keeps other stacks' away. The AWS provider's default tags put it on every resource of the stack.
 */
export function scopeTagProblems(
  source: Pick<ConfigSource, "get">,
  project: string,
  stack: string,
): string[] {
  const scope = roleScope({ project, name: stack }).name;
  const key = "aws:defaultTags";
  const fix = `add to Pulumi.${stack}.yaml:\n  ${key}:\n    tags:\n      ${scopeTagKey}: ${scope}`;
  const raw = source.get(key);
  let tags: unknown;
  try {
    tags = raw === undefined ? undefined : (JSON.parse(raw) as { tags?: unknown }).tags;
  } catch {
    return [`${key}: must be an object with a tags map (got ${JSON.stringify(raw)}); ${fix}`];
  }
  const value =
    typeof tags === "object" && tags !== null
      ? (tags as Record<string, unknown>)[scopeTagKey]
      : undefined;
  if (value === scope) return [];
  return [
    `${key}: must tag every resource with ${scopeTagKey}: ${scope} (got ${value === undefined ? "no such tag" : JSON.stringify(value)}): the Deploy role manages only the secrets and keys that carry it; ${fix}`,
  ];
}
