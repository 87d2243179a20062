import { mayActOnAnyResource } from "../../policies/actions-on-any-resource";
import { deployActionsOnAnyResource } from "../../components/pipeline/deploy-policy";
import type { PolicyStatement } from "../../components/iam";
import { descendantsOf, theResource } from "../support/harness";
import { reveal, type CapturedResource, type ProgramRun } from "../../tooling/mocks/program-run";

/** The Pipeline component and everything under it. */
export function pipelineResources(run: ProgramRun): CapturedResource[] {
  const component = theResource(run, "pipelines:cicd:Pipeline");
  return [component, ...descendantsOf(run, component)];
}

/** The stages of the captured CodePipeline, secrets revealed. */
export function capturedStages(run: ProgramRun): Array<{
  name: string;
  actions: Array<Record<string, unknown> & { name: string; configuration: Record<string, string> }>;
}> {
  return reveal(theResource(run, "aws:codepipeline/pipeline:Pipeline").inputs.stages) as ReturnType<
    typeof capturedStages
  >;
}

const list = <T>(value: T | readonly T[] | undefined): T[] =>
  value === undefined ? [] : Array.isArray(value) ? [...value] : [value as T];

/** Every IAM identity statement of a role or role policy, with where it sits. */
export function identityStatements(
  resource: CapturedResource,
): Array<{ where: string; statement: PolicyStatement }> {
  const documents: Array<[string, unknown]> =
    resource.type === "aws:iam/rolePolicy:RolePolicy"
      ? [["policy", resource.inputs.policy]]
      : resource.type === "aws:iam/role:Role"
        ? list(resource.inputs.inlinePolicies as Array<{ policy: unknown }> | undefined).map(
            (p, i) => [`inlinePolicies[${i}]`, p.policy],
          )
        : [];
  return documents.flatMap(([where, document]) => {
    const parsed = JSON.parse(String(reveal(document))) as {
      Statement: PolicyStatement | PolicyStatement[];
    };
    return list(parsed.Statement).map((statement) => ({
      where: `${resource.name}.${where}`,
      statement,
    }));
  });
}

/** Why a statement is too broad: Action "*", NotAction, or Resource "*" for actions that support resource-level permissions. */
export function tooBroad(statement: PolicyStatement): string | undefined {
  if (statement.Effect !== "Allow") return undefined;
  const actions = list(statement.Action);
  if (actions.some((a) => a === "*" || a === "*:*")) return 'allows Action "*"';
  if ("NotAction" in statement) return "allows NotAction";
  if (!list(statement.Resource).includes("*")) return undefined;
  const scoped = actions.filter(
    (a) =>
      !mayActOnAnyResource(
        a,
        deployActionsOnAnyResource.map((entry) => entry.action),
      ),
  );
  return scoped.length > 0 ? `allows ${scoped.join(", ")} on Resource "*"` : undefined;
}
