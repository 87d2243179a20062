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

export interface PolicyDocument {
  readonly Version: "2012-10-17";
  readonly Statement: readonly PolicyStatement[];
}

export const policyDocument = (statements: readonly PolicyStatement[]): PolicyDocument => ({
  Version: "2012-10-17",
  Statement: statements,
});

/** A statement's actions (or resources) as a list, whichever form the document uses. */
export const listOf = (value: string | readonly string[] | undefined): readonly string[] =>
  value === undefined ? [] : typeof value === "string" ? [value] : value;
