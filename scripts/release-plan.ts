/**
 * The release plan, as the Plan and Deploy builds run it:
 *
 *   release-plan summarise --preview <preview.json> --out <dir> [--title <text>] [--migrations <dir>]
 *       writes summary.json, plan.txt, plan.html and plan.env (the Plan action's output variables) and prints plan.txt;
 *       with --migrations, the destructive statements of the migrations the release adds join the summary
 *   release-plan check-approved --approved <preview.json> --current <preview.json>
 *       exits 1, printing the difference, when the change set about to be applied is not the approved one
 *   release-plan drift --preview <preview.json> --stack <stack> --out <file>
 *       writes the notifications topic's message about the drifted resources; exits 1 when the preview shows none
 *       (then it failed for another reason)
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { differenceFromApproved } from "../components/pipeline/release/approved-changes";
import { driftMessage, driftReport, driftText } from "../components/pipeline/release/drift-report";
import { readPreviewDigest } from "../components/pipeline/release/preview-digest";
import { destructiveMigrationsOf } from "../components/pipeline/release/release-migrations";
import { listDestructiveMigrations } from "../lambdas/cupping/destructive-migrations";
import {
  renderSummaryHtml,
  renderSummaryText,
  summarise,
  summaryLine,
} from "../components/pipeline/release/summary";
import { shellQuote } from "../components/pipeline/shell-quote";
import { requiredOption } from "./required-option";

const usage =
  "usage: release-plan summarise --preview <file> --out <dir> [--title <text>] [--migrations <dir>] | check-approved --approved <file> --current <file> | drift --preview <file> --stack <stack> --out <file>";

const option = (args: readonly string[], name: string) => requiredOption(args, name, usage);

const readDigest = (file: string) => readPreviewDigest(readFileSync(file, "utf8"), file);

/** Runs one command; returns what to print and the exit status. */
export function releasePlan(args: readonly string[]): {
  readonly output: string;
  readonly status: number;
} {
  const [command] = args;
  if (command === "summarise") {
    const out = option(args, "out");
    const digest = readDigest(option(args, "preview"));
    const destructive = args.includes("--migrations")
      ? destructiveMigrationsOf(digest, listDestructiveMigrations(option(args, "migrations")))
      : [];
    const summary = summarise(digest, [], destructive);
    const title = args.includes("--title") ? option(args, "title") : "Release plan";
    const text = renderSummaryText(summary);
    mkdirSync(out, { recursive: true });
    writeFileSync(path.join(out, "summary.json"), `${JSON.stringify(summary, null, 2)}\n`);
    writeFileSync(path.join(out, "plan.txt"), text);
    writeFileSync(path.join(out, "plan.html"), renderSummaryHtml(summary, title));
    const variables = {
      RISK: summary.risk,
      CREATE: summary.counts.create,
      UPDATE: summary.counts.update,
      REPLACE: summary.counts.replace,
      DELETE: summary.counts.delete,
      SUMMARY: summaryLine(summary),
    };
    writeFileSync(
      path.join(out, "plan.env"),
      Object.entries(variables)
        .map(([k, v]) => `${k}=${shellQuote(v)}\n`)
        .join(""),
    );
    return { output: text, status: 0 };
  }
  if (command === "check-approved") {
    const { unapproved, missing } = differenceFromApproved(
      readDigest(option(args, "approved")),
      readDigest(option(args, "current")),
    );
    if (unapproved.length === 0 && missing.length === 0)
      return { output: "The change set is the approved one.\n", status: 0 };
    const lines = [
      "Refusing to deploy: the change set differs from the approved plan (approve a new run).",
      ...unapproved.map((c) => `  not approved: ${c}`),
      ...missing.map((c) => `  approved but gone: ${c}`),
    ];
    return { output: `${lines.join("\n")}\n`, status: 1 };
  }
  if (command === "drift") {
    const digest = readDigest(option(args, "preview"));
    const report = driftReport(
      digest,
      option(args, "stack"),
      process.env.CODEBUILD_BUILD_URL || undefined,
    );
    if (report.resources.length === 0) {
      const errors = (digest.diagnostics ?? []).map((d) => d.message ?? "").filter(Boolean);
      return {
        output: `The drift check's preview failed without showing drift:\n${errors.join("\n") || "(no diagnostics)"}\n`,
        status: 1,
      };
    }
    writeFileSync(option(args, "out"), driftMessage(report));
    return { output: driftText(report), status: 0 };
  }
  throw new Error(usage);
}

if (require.main === module) {
  try {
    const { output, status } = releasePlan(process.argv.slice(2));
    (status === 0 ? process.stdout : process.stderr).write(output);
    process.exitCode = status;
  } catch (error) {
    process.stderr.write(`error: ${(error as Error).message}\n`);
    process.exitCode = 2;
  }
}
