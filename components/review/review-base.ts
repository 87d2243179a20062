import * as pulumi from "@pulumi/pulumi";
import type { RolePlacement } from "../iam";
import type { SharedDatabase } from "../service/cupping-service";
import { reviewRoleScope } from "./review-scope";
import type { ReviewStack } from "./review-settings";

/** The base stack's output that holds what its review stacks share (see `ReviewBase`). */
export const reviewBaseOutput = "reviewBase";

/** What a base stack exports for its review stacks: where its database instance is and how to reach it. */
export interface ReviewBase {
  readonly vpcId: string;
  readonly privateSubnetIds: string[];
  /** The security group the instance and the Secrets Manager endpoint let in. */
  readonly functionSecurityGroupId: string;
  readonly databaseAddress: string;
  /** The instance's DbiResourceId: review APIs sign in with IAM tokens as their own role, never with the master secret. */
  readonly databaseResourceId: string;
  /** The migrate function that prepares and drops review databases on the instance. */
  readonly migrateFunctionName: string;
  /** The review scope's permissions boundary (not the base stack's), which every role of its review stacks carries. */
  readonly permissionsBoundaryArn: string;
}

/**
 * The fully qualified name of another stack of this project and organization, as stack references take it: the
 * organization is the Pulumi Cloud one, or "organization" on a self-managed (S3) backend.
 */
export const baseStackReferenceName = (organization: string, project: string, stack: string) =>
  `${organization}/${project}/${stack}`;

/** What a review stack takes from its base stack, read through a stack reference. */
export interface SharedFromBase {
  /** The base's database instance, on which the review stack's service gets its own logical database. */
  readonly database: SharedDatabase;
  /** The review scope's role path and boundary: the review role may create roles there, named review-pr-*, with that boundary. */
  readonly roles: RolePlacement;
}

/** The base stack's database instance and role placement for a review stack. */
export function sharedFromBase(
  review: ReviewStack,
  project: string,
  opts?: pulumi.CustomResourceOptions,
): SharedFromBase {
  const reference = new pulumi.StackReference(
    `${review.baseStack}-reference`,
    { name: baseStackReferenceName(pulumi.getOrganization(), project, review.baseStack) },
    opts,
  );
  const base = reference.requireOutput(reviewBaseOutput) as pulumi.Output<ReviewBase>;
  const scope = reviewRoleScope(project);
  return {
    database: sharedDatabase(review, base),
    roles: { scope, path: scope.rolePath, permissionsBoundary: base.permissionsBoundaryArn },
  };
}

function sharedDatabase(review: ReviewStack, base: pulumi.Output<ReviewBase>): SharedDatabase {
  return {
    vpcId: base.vpcId,
    privateSubnetIds: base.privateSubnetIds,
    functionSecurityGroupId: base.functionSecurityGroupId,
    address: base.databaseAddress,
    resourceId: base.databaseResourceId,
    migrateFunctionName: base.migrateFunctionName,
    database: review.database,
  };
}
