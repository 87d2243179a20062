import { computedState } from "../support/resource-state";
import type { CapturedResource, ProgramRun } from "../support/harness";

interface RegisterRequest {
  getType(): string;
  getName(): string;
  getDependenciesList(): string[];
}
type MockMonitorClass = { prototype: { registerResource(req: RegisterRequest, callback: unknown): unknown } };
const { MockMonitor } = require("@pulumi/pulumi/runtime/mocks") as { MockMonitor: MockMonitorClass };

/** Resource names each resource depends on (explicitly or through its inputs), keyed by "type::name". */
export type Dependencies = ReadonlyMap<string, readonly string[]>;

/**
 * Runs `program` while recording what each registered resource depends on: the harness does not capture
 * dependencies, and ordering (migrations before the API's new code) is what some tests check.
 */
export async function recordingDependencies<T>(program: () => Promise<T>): Promise<{ result: T; dependencies: Dependencies }> {
  const dependencies = new Map<string, string[]>();
  const original = MockMonitor.prototype.registerResource;
  MockMonitor.prototype.registerResource = function (this: unknown, req, callback) {
    dependencies.set(`${req.getType()}::${req.getName()}`, req.getDependenciesList().map((urn) => urn.split("::").pop()!));
    return original.call(this, req, callback);
  };
  try {
    return { result: await program(), dependencies };
  } finally {
    MockMonitor.prototype.registerResource = original;
  }
}

/** Names of the resources `resource` depends on. */
export function dependenciesOf(dependencies: Dependencies, resource: CapturedResource): readonly string[] {
  return dependencies.get(`${resource.type}::${resource.name}`) ?? [];
}

/** The state the mocks answered for a resource (its id and computed outputs such as arn). */
export function stateOf(run: ProgramRun, resource: CapturedResource): { id: string; state: Record<string, unknown> } {
  return computedState(resource.type, resource.name, resource.inputs, run.engineConfig.config["aws:region"] ?? "us-east-1");
}
