import type { PreviewDigest } from "./preview-digest";
import { changesOf } from "./summary";

/** What the notifications topic hears about drift: the stack, each drifted resource and its changed properties. */
export interface DriftReport {
  readonly stack: string;
  readonly resources: ReadonlyArray<{
    readonly urn: string;
    readonly kind: string;
    readonly properties: readonly string[];
  }>;
  /** The drift check's build page. */
  readonly buildUrl?: string;
}

/** The drifted resources of a `pulumi preview --refresh --json`; none when the preview changes nothing. */
export function driftReport(digest: PreviewDigest, stack: string, buildUrl?: string): DriftReport {
  return {
    stack,
    resources: changesOf(digest).map((c) => ({
      urn: c.urn,
      kind: c.kind,
      properties: c.properties,
    })),
    buildUrl,
  };
}

/** The report as text, for e-mail. */
export function driftText(report: DriftReport): string {
  const lines = [
    `Drift in stack ${report.stack}: ${report.resources.length} resource(s) differ from what the program declares; the next deploy would change them back.`,
    ...report.resources.map(
      (r) => `  ${r.kind} ${r.urn}${r.properties.length ? ` (${r.properties.join(", ")})` : ""}`,
    ),
  ];
  if (report.buildUrl) lines.push(`Build: ${report.buildUrl}`);
  return `${lines.join("\n")}\n`;
}

/**
 * The SNS message (MessageStructure json): the JSON report for the Slack notifier and any other subscriber, plain text
 * for e-mail.
 */
export function driftMessage(report: DriftReport): string {
  return JSON.stringify({
    default: JSON.stringify({ driftCheck: report }),
    email: driftText(report),
  });
}
