/**
 * The sections a stack's pull-request comment shows above the preview output: the plan's counts and RISK, the
 * stateful resources it replaces or deletes, policy results, the idle monthly cost delta, destructive migrations,
 * and the review URL. Each comes from the tool that knows it (the release plan summary, the policy pack, the cost
 * estimator, the migration detector, the review build) as plain data; absent facts leave their section out.
 */

export type ChangeKind = "create" | "update" | "replace" | "delete";

/** The plan of a preview (the release plan's summary.json has this shape). */
export interface PlanFacts {
  readonly counts: Readonly<Record<ChangeKind, number>>;
  /** RISK none/review/danger, when the plan rated it. */
  readonly risk?: string;
  readonly changes: ReadonlyArray<{
    readonly urn: string;
    readonly type: string;
    readonly kind: ChangeKind;
  }>;
}

/** One policy result, as the engine reports it (apitype.PolicyEvent). */
export interface PolicyFacts {
  readonly policyPackName: string;
  readonly policyName: string;
  readonly enforcementLevel: string;
  readonly message: string;
  readonly resourceUrn?: string;
}

/** Idle monthly cost of the stack's program on the base branch and on the pull request, in US dollars. */
export interface CostFacts {
  readonly baseMonthlyUsd: number;
  readonly headMonthlyUsd: number;
}

/** The cost facts of two estimates (`npm run plan -- <stack> --cost --json` on the base commit and the pull request's). */
export function costFactsOf(
  base: { readonly totalMonthlyUsd: number },
  head: { readonly totalMonthlyUsd: number },
): CostFacts {
  return { baseMonthlyUsd: base.totalMonthlyUsd, headMonthlyUsd: head.totalMonthlyUsd };
}

/** A migration that drops or rewrites data, as the migration detector names it. */
export interface MigrationFacts {
  readonly file: string;
  readonly reason: string;
}

export interface StackFacts {
  readonly plan?: PlanFacts;
  readonly policies?: readonly PolicyFacts[];
  readonly cost?: CostFacts;
  readonly destructiveMigrations?: readonly MigrationFacts[];
  /** The pull request's review stack URL, when it has one. */
  readonly reviewUrl?: string;
}

/** Resource types whose replacement or deletion loses data; the caller names them (the release plan's list). */
export type StatefulTypes = readonly string[];

const nameOf = (urn: string) => urn.split("::").pop() ?? urn;
// Backticks would end the inline code span: a name from a preview is shown, never interpreted.
const code = (text: string) => `\`${text.replace(/`/g, "'")}\``;
const usd = (amount: number) => `$${amount.toFixed(2)}`;

function planSection(plan: PlanFacts, statefulTypes: StatefulTypes): string[] {
  const c = plan.counts;
  const lines = [
    `**Plan:** ${c.create} to create, ${c.update} to update, ${c.replace} to replace, ${c.delete} to delete${plan.risk ? ` · **RISK ${plan.risk}**` : ""}`,
  ];
  const lost = plan.changes.filter(
    (change) =>
      statefulTypes.includes(change.type) &&
      (change.kind === "replace" || change.kind === "delete"),
  );
  if (lost.length > 0)
    lines.push(
      "",
      `> [!CAUTION]`,
      `> Stateful resources this change replaces or deletes (their data is lost):`,
      ...lost.map((ch) => `> - ${ch.kind} ${code(ch.type)} ${code(nameOf(ch.urn))}`),
    );
  return lines;
}

function policySection(policies: readonly PolicyFacts[]): string[] {
  if (policies.length === 0) return ["**Policies:** every policy passed."];
  const mandatory = policies.filter((p) => p.enforcementLevel === "mandatory").length;
  return [
    `**Policies:** ${mandatory} mandatory violation${mandatory === 1 ? "" : "s"}, ${policies.length - mandatory} advisory.`,
    ...policies.map(
      (p) =>
        `- ${p.enforcementLevel === "mandatory" ? "❌" : "⚠️"} ${code(`${p.policyPackName}/${p.policyName}`)}${p.resourceUrn ? ` on ${code(nameOf(p.resourceUrn))}` : ""}: ${p.message.split("\n")[0]}`,
    ),
  ];
}

/** The idle monthly cost change, signed, with both ends. */
export function costLine(cost: CostFacts): string {
  const delta = cost.headMonthlyUsd - cost.baseMonthlyUsd;
  const sign = delta > 0.005 ? "+" : delta < -0.005 ? "−" : "±";
  return `**Idle monthly cost:** ${sign}${usd(Math.abs(delta))} (${usd(cost.baseMonthlyUsd)} on the base branch → ${usd(cost.headMonthlyUsd)} with this pull request)`;
}

function migrationSection(migrations: readonly MigrationFacts[]): string[] {
  if (migrations.length === 0) return ["**Migrations:** none drops or rewrites data."];
  return [
    "> [!WARNING]",
    "> Destructive migrations:",
    ...migrations.map((m) => `> - ${code(m.file)}: ${m.reason}`),
  ];
}

/** The sections, in reading order, as Markdown blocks; empty when there are no facts. */
export function factSections(facts: StackFacts, statefulTypes: StatefulTypes): string[] {
  const blocks: string[][] = [];
  if (facts.plan) blocks.push(planSection(facts.plan, statefulTypes));
  if (facts.policies) blocks.push(policySection(facts.policies));
  if (facts.cost) blocks.push([costLine(facts.cost)]);
  if (facts.destructiveMigrations) blocks.push(migrationSection(facts.destructiveMigrations));
  if (facts.reviewUrl) blocks.push([`**Review stack:** ${facts.reviewUrl}`]);
  return blocks.map((lines) => lines.join("\n"));
}
