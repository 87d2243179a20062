import type { DestructiveStatement } from "../../../lambdas/cupping/destructive-migrations";
import { typeOfUrn, type PreviewDigest } from "./preview-digest";

/** The invocation that runs a stack's migrations on deploy; its input lists the migrations the deployed code holds. */
export const migrationInvocationType = "aws:lambda/invocation:Invocation";
export const migrationInvocationName = /-migration$/;

/** The migration ids an invocation input lists (JSON with `migrationIds`); undefined when it lists none. */
function migrationIdsOf(state: unknown): readonly string[] | undefined {
  const input = (state as { inputs?: { input?: unknown } } | undefined)?.inputs?.input;
  if (typeof input !== "string") return undefined;
  try {
    const ids = (JSON.parse(input) as { migrationIds?: unknown }).migrationIds;
    return Array.isArray(ids) && ids.every((id) => typeof id === "string") ? ids : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The migrations a release adds: those the new migration invocation lists and the deployed one did not. A stack whose
 * deployed invocation lists none (a first deploy, or code from before the list existed) gets every one it lists.
 */
export function migrationsAddedBy(digest: PreviewDigest): string[] {
  const added = new Set<string>();
  for (const step of digest.steps ?? []) {
    const name = step.urn.split("::").pop() ?? "";
    if (typeOfUrn(step.urn) !== migrationInvocationType || !migrationInvocationName.test(name))
      continue;
    const before = new Set(migrationIdsOf(step.oldState) ?? []);
    for (const id of migrationIdsOf(step.newState) ?? []) if (!before.has(id)) added.add(id);
  }
  return [...added];
}

/** The destructive statements of the migrations a release adds (files named `<id>.sql`). */
export function destructiveMigrationsOf(
  digest: PreviewDigest,
  statements: readonly DestructiveStatement[],
): DestructiveStatement[] {
  const added = new Set(migrationsAddedBy(digest));
  return statements.filter((statement) => added.has(statement.file.replace(/\.sql$/, "")));
}
