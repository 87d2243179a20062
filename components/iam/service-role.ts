import * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";
import { assumeRolePolicy } from "./assume-role";
import type { RoleScope } from "./role-scope";

/** Where a component puts its roles, and the boundary they carry. */
export interface RolePlacement {
  /** The scope the roles belong to. */
  readonly scope: RoleScope;
  /** IAM path the roles are created under: the scope's `rolePath`, or its `adminPath` for admin-held roles. */
  readonly path: string;
  /** ARN of the permissions boundary every role carries. */
  readonly permissionsBoundary: pulumi.Input<string>;
}

/** The same placement under the scope's admin path: roles only an administrator may change (the deployers). */
export const adminHeld = (placement: RolePlacement): RolePlacement => ({
  ...placement,
  path: placement.scope.adminPath,
});

export interface ServiceRoleArgs {
  /** The AWS service that takes the role, e.g. `codebuild.amazonaws.com`. */
  readonly service: string;
  /** What the role is for, for the console. @default none */
  readonly description?: pulumi.Input<string>;
  /** Path and permissions boundary of the role. */
  readonly placement: RolePlacement;
}

/** A role one AWS service takes, under the placement's path and with its permissions boundary. */
export function serviceRole(
  name: string,
  args: ServiceRoleArgs,
  opts?: pulumi.CustomResourceOptions,
): aws.iam.Role {
  return new aws.iam.Role(
    name,
    {
      description: args.description,
      path: args.placement.path,
      permissionsBoundary: args.placement.permissionsBoundary,
      assumeRolePolicy: JSON.stringify(assumeRolePolicy(args.service)),
    },
    opts,
  );
}
