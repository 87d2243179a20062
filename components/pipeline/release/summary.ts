import type { DestructiveStatement } from "../../../lambdas/cupping/destructive-migrations";
import type { PolicyEvent, PreviewDigest, PreviewStep } from "./preview-digest";
import { typeOfUrn } from "./preview-digest";
import { riskOf, type Change, type ChangeKind, type Risk } from "./risk";

/** What the approver sees of a release: counts, RISK and why, and each change. */
export interface ReleaseSummary {
  readonly counts: Readonly<Record<ChangeKind, number>>;
  readonly risk: Risk;
  readonly reasons: readonly string[];
  readonly changes: readonly Change[];
  /** Errors the preview reported (a failed preview, a mandatory policy). */
  readonly errors: readonly string[];
  /** Destructive statements in the migrations the release adds, with their markers' reasons. */
  readonly destructiveMigrations: readonly DestructiveStatement[];
}

// The engine's step operations, by what they do to a resource; `same`, `read` and `refresh` change nothing.
const kindOfOp: Readonly<Record<string, ChangeKind>> = {
  create: "create",
  import: "create",
  update: "update",
  replace: "replace",
  "create-replacement": "replace",
  "delete-replaced": "replace",
  "import-replacement": "replace",
  "discard-replaced": "replace",
  delete: "delete",
  discard: "delete",
};

/** The changes of a preview, one per resource: the steps of a replacement count once. */
export function changesOf(digest: PreviewDigest): Change[] {
  const byUrn = new Map<string, Change>();
  for (const step of digest.steps ?? []) {
    const kind = kindOfOp[step.op];
    if (!kind) continue;
    const known = byUrn.get(step.urn);
    if (known && (known.kind === "replace" || kind !== "replace")) continue;
    byUrn.set(step.urn, {
      urn: step.urn,
      type: step.newState?.type ?? step.oldState?.type ?? typeOfUrn(step.urn),
      kind,
      properties: propertiesOf(step, kind),
    });
  }
  return [...byUrn.values()];
}

function propertiesOf(step: PreviewStep, kind: ChangeKind): string[] {
  if (kind === "replace" && step.replaceReasons?.length) return [...step.replaceReasons];
  return [...(step.diffReasons ?? Object.keys(step.detailedDiff ?? {}))];
}

/**
 * The summary of a `pulumi preview --json` digest, with the policy results the digest leaves out and the destructive
 * statements of the migrations the release adds (see release-migrations.ts).
 */
export function summarise(
  digest: PreviewDigest,
  policies: readonly PolicyEvent[] = [],
  destructiveMigrations: readonly DestructiveStatement[] = [],
): ReleaseSummary {
  const changes = changesOf(digest);
  const counts: Record<ChangeKind, number> = { create: 0, update: 0, replace: 0, delete: 0 };
  for (const change of changes) counts[change.kind] += 1;
  const { risk, reasons } = riskOf(changes, policies, destructiveMigrations);
  const errors = (digest.diagnostics ?? [])
    .filter((d) => d.severity === "error")
    .map((d) => (d.message ?? "").trim())
    .filter(Boolean);
  return { counts, risk, reasons, changes, errors, destructiveMigrations };
}

const countsLine = (c: ReleaseSummary["counts"]) =>
  `${c.create} to create, ${c.update} to update, ${c.replace} to replace, ${c.delete} to delete`;

/** One line for an approval request: RISK, counts, then the reasons, cut to `limit` characters. */
export function summaryLine(summary: ReleaseSummary, limit = 500): string {
  const line = `RISK ${summary.risk}: ${countsLine(summary.counts)}.${summary.reasons.length ? ` ${summary.reasons.join("; ")}.` : ""}`;
  return line.length <= limit ? line : `${line.slice(0, limit - 1)}…`;
}

/** The plan as text, for the build log and the plan artifact. */
export function renderSummaryText(summary: ReleaseSummary): string {
  const lines = [`RISK ${summary.risk}`, countsLine(summary.counts)];
  if (summary.reasons.length) lines.push("", "Why:", ...summary.reasons.map((r) => `  - ${r}`));
  if (summary.errors.length) lines.push("", "Errors:", ...summary.errors.map((e) => `  - ${e}`));
  if (summary.destructiveMigrations.length)
    lines.push(
      "",
      "Destructive migrations:",
      ...summary.destructiveMigrations.map(
        (m) =>
          `  - ${m.file}:${m.line} ${m.kind}: ${m.statement}${m.reason ? ` (${m.reason})` : ""}`,
      ),
    );
  if (summary.changes.length)
    lines.push(
      "",
      "Changes:",
      ...summary.changes.map(
        (c) =>
          `  ${c.kind.padEnd(7)} ${c.urn}${c.properties.length ? ` (${c.properties.join(", ")})` : ""}`,
      ),
    );
  return `${lines.join("\n")}\n`;
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The plan as a standalone HTML page, for the plan artifact. */
export function renderSummaryHtml(summary: ReleaseSummary, title: string): string {
  const rows = summary.changes.map(
    (c) =>
      `<tr><td>${c.kind}</td><td>${escapeHtml(c.type)}</td><td>${escapeHtml(c.urn)}</td><td>${escapeHtml(c.properties.join(", "))}</td></tr>`,
  );
  return [
    "<!doctype html>",
    `<html><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head><body>`,
    `<h1>${escapeHtml(title)}</h1>`,
    `<p><strong>RISK ${summary.risk}</strong>: ${countsLine(summary.counts)}</p>`,
    summary.reasons.length
      ? `<ul>${summary.reasons.map((r) => `<li>${escapeHtml(r)}</li>`).join("")}</ul>`
      : "",
    `<table><thead><tr><th>change</th><th>type</th><th>resource</th><th>properties</th></tr></thead><tbody>${rows.join("")}</tbody></table>`,
    "</body></html>",
    "",
  ].join("\n");
}
