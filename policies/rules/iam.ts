import { GroupPolicy } from "@pulumi/aws/iam/groupPolicy";
import { Policy as IamPolicy } from "@pulumi/aws/iam/policy";
import { Role } from "@pulumi/aws/iam/role";
import { RolePolicy } from "@pulumi/aws/iam/rolePolicy";
import { UserPolicy } from "@pulumi/aws/iam/userPolicy";
import type {
  PolicyConfigSchema,
  ReportViolation,
  ResourceValidationArgs,
  ResourceValidationPolicy,
} from "@pulumi/policy";
import { mayActOnAnyResource } from "../actions-on-any-resource";
import { readConfig } from "../config";
import { PolicyDocumentError, policyStatements, type PolicyStatement } from "../policy-document";
import { eachElement, unknownDuringPreview, whenKnown, type MaybeUnknown } from "../preview";

/** An identity policy document of a resource, and where in the resource it sits. */
interface PlacedDocument {
  readonly where: string;
  readonly document: MaybeUnknown<unknown>;
}

// Identity policies only: resource policies (bucket, key, topic) legitimately use Resource "*" for their own resource.
function identityPolicyDocuments(args: ResourceValidationArgs): PlacedDocument[] {
  const role = args.asType(Role);
  if (role) {
    const inline = whenKnown(() => role.inlinePolicies ?? []);
    const inlinePolicies = inline === unknownDuringPreview ? [] : eachElement(inline);
    return [
      { where: "assumeRolePolicy", document: whenKnown(() => role.assumeRolePolicy) },
      ...inlinePolicies.map((entry, index) => ({
        where: `inlinePolicies[${index}].policy`,
        document: entry === unknownDuringPreview ? entry : whenKnown(() => entry.policy),
      })),
    ];
  }
  const policy =
    args.asType(RolePolicy) ??
    args.asType(IamPolicy) ??
    args.asType(UserPolicy) ??
    args.asType(GroupPolicy);
  if (policy) return [{ where: "policy", document: whenKnown(() => policy.policy) }];
  return args.notApplicable("only IAM roles and identity policies carry identity policy documents");
}

/**
 * Calls `check` on each Allow statement of the resource's identity policies. A document still unknown during
 * preview is checked at update time, when the engine runs the rule again with its value.
 */
function forEachAllowStatement(
  args: ResourceValidationArgs,
  reportViolation: ReportViolation,
  check: (statement: PolicyStatement, where: string) => void,
): void {
  for (const { where, document } of identityPolicyDocuments(args)) {
    if (document === unknownDuringPreview || document === undefined || document === "") continue;
    try {
      for (const statement of policyStatements(document))
        if (statement !== unknownDuringPreview && statement.effect === "Allow")
          check(statement, where);
    } catch (error) {
      if (!(error instanceof PolicyDocumentError)) throw error;
      reportViolation(`${where} cannot be checked: it ${error.message}.`);
    }
  }
}

const known = (values: readonly MaybeUnknown<string>[] | undefined): string[] =>
  (values ?? []).filter((value): value is string => value !== unknownDuringPreview);
const isEveryAction = (action: string) => action === "*" || action === "*:*";
const quoted = (values: readonly string[]) =>
  values.map((value) => JSON.stringify(value)).join(", ");

export const iamNoWildcardAction: ResourceValidationPolicy = {
  name: "iam-no-wildcard-action",
  description:
    'No IAM identity policy allows every action: no Allow statement with Action "*" or with NotAction.',
  enforcementLevel: "mandatory",
  validateResource: (args, reportViolation) =>
    forEachAllowStatement(args, reportViolation, (statement, where) => {
      if (known(statement.actions).some(isEveryAction))
        reportViolation(
          `${where}, ${statement.label}: allows every action (Action "*"); list the actions it needs.`,
        );
      if (statement.notActions)
        reportViolation(
          `${where}, ${statement.label}: allows every action except ${quoted(known(statement.notActions))} (NotAction in an Allow statement); list the actions it needs.`,
        );
    }),
};

const wildcardResourceConfigSchema: PolicyConfigSchema = {
  properties: {
    extraActionsOnAnyResource: {
      type: "array",
      items: { type: "string" },
      default: [],
      description:
        'Actions to allow on Resource "*" besides those of policies/actions-on-any-resource.ts.',
    },
  },
};

export const iamNoWildcardResource: ResourceValidationPolicy = {
  name: "iam-no-wildcard-resource",
  description:
    'IAM identity policies allow actions that support resource-level permissions only on named resources, not on Resource "*".',
  enforcementLevel: "mandatory",
  configSchema: wildcardResourceConfigSchema,
  validateResource: (args, reportViolation) => {
    const { extraActionsOnAnyResource } = readConfig<{ extraActionsOnAnyResource: string[] }>(
      wildcardResourceConfigSchema,
      args,
    );
    forEachAllowStatement(args, reportViolation, (statement, where) => {
      const everyResource = known(statement.resources).includes("*")
        ? 'every resource (Resource "*")'
        : statement.notResources
          ? `every resource except ${quoted(known(statement.notResources))} (NotResource)`
          : undefined;
      if (!everyResource) return;
      const scoped = statement.notActions
        ? [`every action except ${quoted(known(statement.notActions))}`]
        : known(statement.actions)
            .filter((action) => !mayActOnAnyResource(action, extraActionsOnAnyResource))
            .map((action) => JSON.stringify(action));
      if (scoped.length > 0)
        reportViolation(
          `${where}, ${statement.label}: allows ${scoped.join(", ")} on ${everyResource}; name the resources (ARNs) these actions act on.`,
        );
    });
  },
};
