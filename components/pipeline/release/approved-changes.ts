import type { PreviewDigest } from "./preview-digest";
import { changesOf } from "./summary";

/** A release's change set: one `<kind> <urn>` per changed resource, sorted. */
export function changeSet(digest: PreviewDigest): string[] {
  return changesOf(digest)
    .map((c) => `${c.kind} ${c.urn}`)
    .sort();
}

/** What the preview about to be applied changes beyond, or short of, the approved one; both empty when they agree. */
export function differenceFromApproved(
  approved: PreviewDigest,
  current: PreviewDigest,
): { readonly unapproved: string[]; readonly missing: string[] } {
  const was = new Set(changeSet(approved));
  const now = changeSet(current);
  return {
    unapproved: now.filter((c) => !was.has(c)),
    missing: [...was].filter((c) => !now.includes(c)),
  };
}
