import type { DestructiveStatement } from "../../../lambdas/cupping/destructive-migrations";
import type { PolicyEvent } from "./preview-digest";

export type ChangeKind = "create" | "update" | "replace" | "delete";
export type Risk = "none" | "review" | "danger";

/** One resource the release changes. */
export interface Change {
  readonly urn: string;
  /** Resource type token, e.g. aws:rds/instance:Instance. */
  readonly type: string;
  readonly kind: ChangeKind;
  /** Properties that cause the update or the replacement (names only, never values). */
  readonly properties: readonly string[];
}

/** Resource types that hold data or identity a replacement or deletion would lose. */
export const statefulTypes: readonly string[] = [
  "aws:rds/instance:Instance",
  "aws:rds/cluster:Cluster",
  "aws:s3/bucket:Bucket",
  "aws:s3/bucketV2:BucketV2",
  "aws:kms/key:Key",
  "aws:secretsmanager/secret:Secret",
  "aws:codeartifact/repository:Repository",
  "aws:cloudwatch/logGroup:LogGroup",
];

/** Resource types whose any change alters who may reach what. */
const securityGroupTypes: readonly string[] = [
  "aws:ec2/securityGroup:SecurityGroup",
  "aws:ec2/securityGroupRule:SecurityGroupRule",
  "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
  "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
];

const nameOf = (urn: string) => urn.split("::").pop() ?? urn;
const rank: Readonly<Record<Risk, number>> = { none: 0, review: 1, danger: 2 };

/**
 * How risky a release is, and why, one reason per finding:
 * danger when a stateful resource is replaced or deleted or a mandatory policy fails; review for any IAM change, any
 * security group change, a policy warning or a destructive statement in a migration the release adds (marked, or the
 * Build would have failed); none otherwise.
 */
export function riskOf(
  changes: readonly Change[],
  policies: readonly PolicyEvent[] = [],
  destructiveMigrations: readonly DestructiveStatement[] = [],
): { readonly risk: Risk; readonly reasons: readonly string[] } {
  const findings: Array<{ risk: Risk; reason: string }> = [];
  for (const change of changes) {
    const what = `${change.kind} ${change.type} ${nameOf(change.urn)}`;
    if (
      statefulTypes.includes(change.type) &&
      (change.kind === "replace" || change.kind === "delete")
    )
      findings.push({ risk: "danger", reason: `${what}: data it holds is lost` });
    else if (change.type.startsWith("aws:iam/"))
      findings.push({ risk: "review", reason: `${what}: IAM change` });
    else if (securityGroupTypes.includes(change.type))
      findings.push({ risk: "review", reason: `${what}: security group change` });
  }
  for (const policy of policies) {
    const where = policy.resourceUrn ? ` on ${nameOf(policy.resourceUrn)}` : "";
    if (policy.enforcementLevel === "mandatory")
      findings.push({ risk: "danger", reason: `policy ${policy.policyName} fails${where}` });
    else if (policy.enforcementLevel === "advisory")
      findings.push({ risk: "review", reason: `policy ${policy.policyName} warns${where}` });
  }
  for (const statement of destructiveMigrations)
    findings.push({ risk: "review", reason: destructiveReason(statement) });
  const risk = findings.reduce<Risk>(
    (worst, f) => (rank[f.risk] > rank[worst] ? f.risk : worst),
    "none",
  );
  // The worst findings first: they are what the approver must read.
  const reasons = [...findings].sort((a, b) => rank[b.risk] - rank[a.risk]).map((f) => f.reason);
  return { risk, reasons };
}

/** A destructive migration statement as the approver reads it: where, what, and the marker's reason. */
export function destructiveReason(statement: DestructiveStatement): string {
  return `migration ${statement.file} line ${statement.line}: ${statement.kind} (${statement.reason ? `marked: ${statement.reason}` : "unmarked"})`;
}
