import type { PolicyDocument } from "../../components/iam";
import { resourcesOfType } from "./harness";
import { reveal, type CapturedResource, type ProgramRun } from "../../tooling/mocks/program-run";
import type { RolePolicies } from "./iam-evaluator";
import { computedState } from "../../tooling/mocks/resource-state";

/** A role the program creates, with everything that decides what it may do. */
export interface CapturedRole extends RolePolicies {
  /** The role's resource name in the program, e.g. `pipeline-deploy-role`. */
  readonly name: string;
  /** Its IAM path. */
  readonly path: string;
  /** Its trust policy: who may take it. */
  readonly trust: PolicyDocument;
}

const stateOf = (run: ProgramRun, resource: CapturedResource) =>
  computedState(
    resource.type,
    resource.name,
    resource.inputs,
    run.engineConfig.config["aws:region"],
  );
const parse = (document: unknown) => JSON.parse(String(reveal(document))) as PolicyDocument;

/** Every IAM managed policy of the run, by ARN. */
export function managedPolicies(
  run: ProgramRun,
): Map<string, { name: string; document: PolicyDocument }> {
  return new Map(
    resourcesOfType(run, "aws:iam/policy:Policy").map((p) => [
      String(stateOf(run, p).state.arn),
      { name: p.name, document: parse(p.inputs.policy) },
    ]),
  );
}

/**
 * Every role of the run with its identity policies (inline and role policies) and its permissions boundary, found
 * among `policies` (a review stack's boundary is its base stack's).
 */
export function capturedRoles(run: ProgramRun, policies = managedPolicies(run)): CapturedRole[] {
  const rolePolicies = resourcesOfType(run, "aws:iam/rolePolicy:RolePolicy");
  return resourcesOfType(run, "aws:iam/role:Role").map((role) => {
    const { id, state } = stateOf(run, role);
    const inline = (
      (role.inputs.inlinePolicies as Array<{ name?: string; policy: unknown }> | undefined) ?? []
    ).map((p, i) => ({
      name: `${role.name}.inlinePolicies[${p.name ?? i}]`,
      document: parse(p.policy),
    }));
    const attached = rolePolicies
      .filter((p) => reveal(p.inputs.role) === id)
      .map((p) => ({ name: p.name, document: parse(p.inputs.policy) }));
    const boundaryArn =
      role.inputs.permissionsBoundary === undefined
        ? undefined
        : String(reveal(role.inputs.permissionsBoundary));
    const boundary = boundaryArn === undefined ? undefined : policies.get(boundaryArn);
    if (boundaryArn !== undefined && boundary === undefined)
      throw new Error(
        `${role.name} names the boundary ${boundaryArn}, which the program does not create`,
      );
    return {
      name: role.name,
      arn: String(state.arn),
      path: String(role.inputs.path ?? "/"),
      trust: parse(role.inputs.assumeRolePolicy),
      identity: [...inline, ...attached],
      boundary,
    };
  });
}
