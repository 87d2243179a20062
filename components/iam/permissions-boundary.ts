import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { currentAccount, type Account } from "./account";
import { boundaryArn, permissionsBoundaryPolicy, type BoundaryReach } from "./boundary";
import type { RoleScope } from "./role-scope";
import type { RolePlacement } from "./service-role";

export interface PermissionsBoundaryArgs {
  /** The scope the boundary confines: its paths, name, and resource-name prefix. */
  readonly scope: RoleScope;
  /** AWS region of the scope: the boundary allows its services there only. */
  readonly region: string;
  /** What of other scopes the roles may still use: their scope tags and shared resources. @default the scope's own tag only */
  readonly reach?: pulumi.Input<BoundaryReach>;
}

/**
 * The managed policy every role of a scope carries as its permissions boundary. It lives under the scope's admin
 * path with a fixed name, so the roles' policies can name it, and nobody under it may change it.
 */
export class PermissionsBoundary extends pulumi.ComponentResource {
  /** ARN of the boundary policy. */
  readonly arn: pulumi.Output<string>;
  /** Placement of the scope's roles: its role path, with this boundary. */
  readonly roles: RolePlacement;

  constructor(name: string, args: PermissionsBoundaryArgs, opts?: pulumi.ComponentResourceOptions) {
    super("pipelines:iam:PermissionsBoundary", name, {}, opts);
    const account = currentAccount(args.region, { parent: this });
    const document = (a: Account, reach?: BoundaryReach) =>
      JSON.stringify(permissionsBoundaryPolicy(args.scope, a, reach));
    const policy = new aws.iam.Policy(
      `${name}-policy`,
      {
        name: `${args.scope.name}-boundary`,
        path: args.scope.adminPath,
        description: `Permissions boundary of every role of ${args.scope.name}; changed only by an administrator`,
        // A stack's boundary waits only for the account; resolving a reach it lacks would reorder the stack's resources.
        policy: args.reach
          ? pulumi.all([account, args.reach]).apply(([a, reach]) => document(a, reach))
          : account.apply((a) => document(a)),
      },
      { parent: this },
    );
    // The fixed ARN the policies name, once the policy exists, so every role waits for its boundary.
    this.arn = pulumi.all([policy.arn, account]).apply(([, a]) => boundaryArn(args.scope, a));
    this.roles = { scope: args.scope, path: args.scope.rolePath, permissionsBoundary: this.arn };
    this.registerOutputs({ arn: this.arn });
  }
}
