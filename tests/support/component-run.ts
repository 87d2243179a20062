import { roleScope, type RolePlacement } from "../../components/iam";
import { runProgram } from "../../tooling/mocks/program-run";

/** One resource a component registered under mocks: type, name and inputs as the engine received them. */
export interface RegisteredResource {
  readonly type: string;
  readonly name: string;
  readonly inputs: Record<string, unknown>;
}

/**
 * Builds one component alone under Pulumi mocks, with no stack config and no program: only the arguments it is
 * given, in the given region. Unknown invokes fail the run, as in a program run.
 */
export async function runComponent(
  build: () => unknown,
  region = "eu-west-1",
): Promise<RegisteredResource[]> {
  const run = await runProgram("alone", {
    engineConfig: {
      project: "component",
      stack: "alone",
      config: { "aws:region": region },
      secretKeys: [],
    },
    program: () => {
      build();
      return {};
    },
  });
  return run.resources.map(({ type, name, inputs }) => ({ type, name, inputs }));
}

/** Resources of one type among those a component registered. */
export const ofType = (resources: readonly RegisteredResource[], type: string) =>
  resources.filter((r) => r.type === type);

/** Where a hand-written "beans" staging stack puts its roles, for components built alone. */
export const aloneRoles: RolePlacement = {
  scope: roleScope({ project: "beans", name: "staging" }),
  path: "/beans/staging/",
  permissionsBoundary:
    "arn:aws:iam::111122223333:policy/beans-admin/staging/beans-staging-boundary",
};
