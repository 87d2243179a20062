import { eachElement, unknownDuringPreview, whenKnown, type MaybeUnknown } from "./preview";

/**
 * One statement of an IAM policy document, with every string-or-list element turned into a list. An element that
 * comes from a resource not yet created (an ARN during preview) is `unknownDuringPreview`.
 */
export interface PolicyStatement {
  /** The statement's Sid, or its position ("statement 2") when it has none. */
  readonly label: string;
  readonly effect: "Allow" | "Deny";
  readonly actions: readonly MaybeUnknown<string>[];
  /** Present when the statement uses NotAction: it then grants every action but these. */
  readonly notActions?: readonly MaybeUnknown<string>[];
  /** Absent in trust policies, which name a Principal instead. */
  readonly resources?: readonly MaybeUnknown<string>[];
  /** Present when the statement uses NotResource: it then applies to every resource but these. */
  readonly notResources?: readonly MaybeUnknown<string>[];
  /** The Condition block; an unknown one is left out. */
  readonly condition?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  readonly principal?: unknown;
}

/** A policy document that cannot be read as IAM JSON. */
export class PolicyDocumentError extends Error {
  override name = "PolicyDocumentError";
}

function stringList(
  statement: Record<string, unknown>,
  element: string,
  label: string,
): MaybeUnknown<string>[] | undefined {
  const value = whenKnown(() => statement[element]);
  if (value === undefined) return undefined;
  if (value === unknownDuringPreview) return [unknownDuringPreview];
  return eachElement<unknown>(Array.isArray(value) ? value : [value]).map((item) => {
    if (item !== unknownDuringPreview && typeof item !== "string")
      throw new PolicyDocumentError(`${label}: ${element} must be a string or a list of strings`);
    return item;
  });
}

function statementOf(raw: unknown, index: number): PolicyStatement {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw))
    throw new PolicyDocumentError(`statement ${index + 1} is not an object`);
  const statement = raw as Record<string, unknown>;
  const sid = whenKnown(() => statement.Sid);
  const label =
    typeof sid === "string" && sid !== "" ? `statement '${sid}'` : `statement ${index + 1}`;
  const effect = whenKnown(() => statement.Effect);
  if (effect !== "Allow" && effect !== "Deny")
    throw new PolicyDocumentError(
      `${label}: Effect must be "Allow" or "Deny", not ${String(effect === unknownDuringPreview ? "unknown" : JSON.stringify(effect))}`,
    );
  const notActions = stringList(statement, "NotAction", label);
  const actions = stringList(statement, "Action", label) ?? [];
  if (actions.length === 0 && !notActions)
    throw new PolicyDocumentError(`${label}: has neither Action nor NotAction`);
  const condition = whenKnown(() => statement.Condition);
  return {
    label,
    effect,
    actions,
    notActions,
    resources: stringList(statement, "Resource", label),
    notResources: stringList(statement, "NotResource", label),
    condition:
      condition === unknownDuringPreview ? undefined : (condition as PolicyStatement["condition"]),
    principal: whenKnown(() => statement.Principal),
  };
}

/**
 * The statements of a policy document given as JSON text or as an object (Statement may be one object or a list).
 * A statement not known yet (an object document holding outputs of resources not yet created) is `unknownDuringPreview`.
 */
export function policyStatements(document: unknown): MaybeUnknown<PolicyStatement>[] {
  let parsed = document;
  if (typeof document === "string") {
    try {
      parsed = JSON.parse(document);
    } catch (error) {
      throw new PolicyDocumentError(
        `is not valid JSON (${error instanceof Error ? error.message : String(error)})`,
      );
    }
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed))
    throw new PolicyDocumentError("is not a JSON object");
  const statements = whenKnown(() => (parsed as Record<string, unknown>).Statement);
  if (statements === undefined) throw new PolicyDocumentError("has no Statement");
  if (statements === unknownDuringPreview) return [unknownDuringPreview];
  return eachElement<unknown>(Array.isArray(statements) ? statements : [statements]).map(
    (statement, index) =>
      statement === unknownDuringPreview ? statement : statementOf(statement, index),
  );
}
