import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { assumeRolePolicy } from "./assume-role";
import type { PolicyDocument } from "./policy-document";
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
  /** The AWS service that takes the role, e.g. `codebuild.amazonaws.com`; give this or `trustPolicy`. @default none */
  readonly service?: string;
  /** Who may take the role when it is not one AWS service (e.g. GitHub's OIDC tokens). @default only `service` */
  readonly trustPolicy?: pulumi.Input<PolicyDocument>;
  /** What the role is for, for the console. @default none */
  readonly description?: pulumi.Input<string>;
  /** Path and permissions boundary of the role. */
  readonly placement: RolePlacement;
}

/** A role one AWS service (or the trust policy's principal) takes, under the placement's path and with its boundary. */
export function serviceRole(
  name: string,
  args: ServiceRoleArgs,
  opts?: pulumi.CustomResourceOptions,
): aws.iam.Role {
  if ((args.service === undefined) === (args.trustPolicy === undefined))
    throw new Error(
      `${name}: give the role either a service or a trust policy, not both or neither`,
    );
  return new aws.iam.Role(
    name,
    {
      description: args.description,
      path: args.placement.path,
      permissionsBoundary: args.placement.permissionsBoundary,
      assumeRolePolicy: args.service
        ? JSON.stringify(assumeRolePolicy(args.service))
        : pulumi.output(args.trustPolicy!).apply((document) => JSON.stringify(document)),
    },
    opts,
  );
}
