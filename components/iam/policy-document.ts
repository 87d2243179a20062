/** IAM policy documents as plain data: one shape for identity, resource, trust and boundary policies. */

/** Condition block: operator -> key -> value(s). */
export type Condition = Readonly<
  Record<string, Readonly<Record<string, string | readonly string[]>>>
>;

/** Who a resource or trust policy speaks to. */
export type Principal =
  "*" | Readonly<Partial<Record<"AWS" | "Service" | "Federated", string | readonly string[]>>>;

export interface PolicyStatement {
  readonly Sid?: string;
  readonly Effect: "Allow" | "Deny";
  readonly Principal?: Principal;
  readonly Action: string | readonly string[];
  /** Absent only in trust policies, whose resource is the role itself, and where NotResource is given. */
  readonly Resource?: string | readonly string[];
  /** Every resource but these (Deny statements of the permissions boundary). */
  readonly NotResource?: string | readonly string[];
  readonly Condition?: Condition;
}

/** A Deny of every action but some: what a boundary leaves of a resource it shares (IAM's NotAction). */
export interface NotActionStatement extends Omit<PolicyStatement, "Action" | "Effect"> {
  readonly Effect: "Deny";
  readonly NotAction: readonly string[];
}

/** A policy; a boundary's statements may be NotAction ones too. */
export interface PolicyDocument<Statement = PolicyStatement> {
  readonly Version: "2012-10-17";
  readonly Statement: readonly Statement[];
}

/** A permissions boundary's document. */
export type BoundaryDocument = PolicyDocument<PolicyStatement | NotActionStatement>;

export const policyDocument = <Statement = PolicyStatement>(
  statements: readonly Statement[],
): PolicyDocument<Statement> => ({
  Version: "2012-10-17",
  Statement: statements,
});

/** A statement's actions (or resources) as a list, whichever form the document uses. */
export const listOf = (value: string | readonly string[] | undefined): readonly string[] =>
  value === undefined ? [] : typeof value === "string" ? [value] : value;
