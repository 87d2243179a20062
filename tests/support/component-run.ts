import * as pulumi from "@pulumi/pulumi";
import { roleScope, type RolePlacement } from "../../components/iam";
import { UnknownInvokeError, knownInvokes } from "../../tooling/mocks/invokes";
import { computedState } from "../../tooling/mocks/resource-state";

/** One resource a component registered under mocks: type, name and inputs as the engine received them. */
export interface RegisteredResource {
  readonly type: string;
  readonly name: string;
  readonly inputs: Record<string, unknown>;
}

// Registrations finish asynchronously; wait until no resource arrives for a few ticks.
async function settle(resources: readonly RegisteredResource[]): Promise<void> {
  for (let seen = -1, quiet = 0; quiet < 3;) {
    await new Promise((resolve) => setTimeout(resolve, 5));
    quiet = seen === resources.length ? quiet + 1 : 0;
    seen = resources.length;
  }
}

/**
 * Builds one component alone under Pulumi mocks, with no stack config and no program: only the arguments it is
 * given. Unknown invokes fail the run, as in the program harness.
 */
export async function runComponent(
  build: () => unknown,
  region = "eu-west-1",
): Promise<RegisteredResource[]> {
  const resources: RegisteredResource[] = [];
  const failures: unknown[] = [];
  pulumi.runtime.setAllConfig({ "aws:region": region });
  await pulumi.runtime.setMocks(
    {
      newResource(args) {
        resources.push({ type: args.type, name: args.name, inputs: args.inputs });
        return args.custom === false
          ? { id: undefined, state: {} }
          : computedState(args.type, args.name, args.inputs, region);
      },
      call(args) {
        const answer = knownInvokes[args.token];
        if (!answer) {
          failures.push(new UnknownInvokeError(args.token));
          throw failures[failures.length - 1];
        }
        return answer(args.inputs, region);
      },
    },
    "component",
    "alone",
    false,
  );
  build();
  await settle(resources);
  if (failures.length > 0) throw failures[0];
  return resources;
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
