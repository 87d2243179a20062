import { computedState } from "../../tooling/mocks/resource-state";
import type { CapturedResource, ProgramRun } from "../../tooling/mocks/program-run";

/** Names of the resources `resource` depends on. */
export function dependenciesOf(resource: CapturedResource): readonly string[] {
  return resource.dependencies.map((urn) => urn.split("::").pop()!);
}

/** The state the mocks answered for a resource (its id and computed outputs such as arn). */
export function stateOf(
  run: ProgramRun,
  resource: CapturedResource,
): { id: string; state: Record<string, unknown> } {
  return computedState(
    resource.type,
    resource.name,
    resource.inputs,
    run.engineConfig.config["aws:region"],
  );
}
