import { type CapturedResource, type ProgramRun, reveal } from "../../tooling/mocks/program-run";
import { computedState } from "../../tooling/mocks/resource-state";

/** The ARN the mocks give a resource, as other resources receive it. */
export function mockedArn(run: ProgramRun, resource: CapturedResource): string {
  const region = run.engineConfig.config["aws:region"];
  return String(computedState(resource.type, resource.name, resource.inputs, region).state.arn);
}

/** A resource's policy document input, parsed. */
export function policyOf(
  resource: CapturedResource,
  input = "policy",
): { Statement: Array<Record<string, unknown>> } {
  return JSON.parse(String(reveal(resource.inputs[input])));
}
