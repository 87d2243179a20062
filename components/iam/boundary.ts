import { databaseUserArn, iamArn, type Account } from "./account";
import { policyDocument, type BoundaryDocument, type PolicyStatement } from "./policy-document";
import {
  boundaryChangingActions,
  boundedRoleActions,
  roleReadActions,
  roleTagActions,
} from "./role-actions";
import { scopeTagKey, type RoleScope } from "./role-scope";
import { actionsOnAnyResource, privateDnsActions, regionalServices } from "./service-actions";

/** ARN of the scope's permissions boundary policy: fixed, so policies can name it before it exists. */
export const boundaryArn = (scope: RoleScope, account: Pick<Account, "partition" | "accountId">) =>
  iamArn(account, `policy${scope.adminPath}${scope.name}-boundary`);

/** ARN pattern of the roles under an IAM path. */
export const rolesUnder = (path: string, account: Pick<Account, "partition" | "accountId">) =>
  iamArn(account, `role${path}*`);

/** What a deployer does besides managing resources, granted by the Deploy policy and allowed by the boundary alike. */
export const deployerChores = (
  boundary: string,
  account: Pick<Account, "partition" | "accountId">,
): PolicyStatement[] => [
  {
    Sid: "ReadTheBoundary",
    Effect: "Allow",
    Action: ["iam:GetPolicy", "iam:GetPolicyVersion", "iam:ListPolicyVersions"],
    Resource: [boundary],
  },
  {
    Sid: "ServiceLinkedRoles",
    Effect: "Allow",
    Action: ["iam:CreateServiceLinkedRole"],
    Resource: [iamArn(account, "role/aws-service-role/*")],
  },
  {
    Sid: "PrivateDnsOfInterfaceEndpoints",
    Effect: "Allow",
    Action: [...privateDnsActions],
    Resource: [`arn:${account.partition}:route53:::hostedzone/*`],
  },
];

/** A resource of another scope that the roles still use, and only through these actions (a base's migrate function). */
export interface SharedResource {
  readonly arn: string;
  readonly actions: readonly string[];
}

/** What of other scopes a boundary leaves its roles. */
export interface BoundaryReach {
  /** Scope tags (IAM wildcard patterns) whose secrets, keys and functions the roles may use. @default the scope's name */
  readonly scopeTags?: readonly string[];
  /** Resources tagged for another scope that the roles use all the same, each only through its actions. @default none */
  readonly shared?: readonly SharedResource[];
}

/** Services whose resources a role may touch only when they carry no scope tag or one of its own scopes'. */
const scopeGuardedActions = ["secretsmanager:*", "kms:*", "lambda:*"];

/**
 * The permissions boundary every role of the scope carries: the most any of them may ever do, whatever its own
 * policies say. It allows the services the program uses in this account and region (named for the scope when it
 * has a name prefix), and denies, to every role under it, the ways a role could grow: changing a role outside the
 * scope's path (the admin-held deployers among them), making or changing a role without this boundary, removing or
 * rewriting any boundary or managed policy, and touching the secrets, keys and functions another scope's tag names
 * (but the shared ones, through their actions).
 */
export function permissionsBoundaryPolicy(
  scope: RoleScope,
  account: Account,
  reach: BoundaryReach = {},
): BoundaryDocument {
  const names = scope.resourceNamePrefix ? `*${scope.resourceNamePrefix}*` : "*";
  const boundary = boundaryArn(scope, account);
  const shared = reach.shared ?? [];
  const sharedArns = shared.map((resource) => resource.arn);
  return policyDocument<BoundaryDocument["Statement"][number]>([
    {
      Sid: "ServicesOfTheScope",
      Effect: "Allow",
      Action: regionalServices.map((s) => `${s.prefix}:*`),
      Resource: regionalServices.map((s) => s.arn(account, names)),
    },
    // IAM database authentication; the database's resource id is random, so the scope's own policies name it.
    {
      Sid: "DatabaseUsersOfThisAccount",
      Effect: "Allow",
      Action: ["rds-db:connect"],
      Resource: [databaseUserArn(account, "*", "*")],
    },
    // Bucket ARNs name no account: the condition keeps the scope to this account's buckets.
    {
      Sid: "BucketsOfThisAccount",
      Effect: "Allow",
      Action: ["s3:*"],
      Resource: [`arn:${account.partition}:s3:::${scope.resourceNamePrefix ?? ""}*`],
      Condition: { StringEquals: { "aws:ResourceAccount": account.accountId } },
    },
    {
      Sid: "RolesOfTheScope",
      Effect: "Allow",
      Action: [...boundedRoleActions, ...roleTagActions, ...roleReadActions, "iam:PassRole"],
      Resource: [rolesUnder(scope.rolePath, account), rolesUnder(scope.adminPath, account)],
    },
    ...deployerChores(boundary, account),
    {
      Sid: "ActionsWithoutResourceTypes",
      Effect: "Allow",
      Action: actionsOnAnyResource.map((entry) => entry.action),
      Resource: ["*"],
    },
    {
      Sid: "NoRoleChangesOutsideTheScope",
      Effect: "Deny",
      Action: [...boundedRoleActions, ...roleTagActions],
      NotResource: [rolesUnder(scope.rolePath, account)],
    },
    {
      Sid: "NoRoleWithoutThisBoundary",
      Effect: "Deny",
      Action: [...boundedRoleActions],
      Resource: ["*"],
      Condition: { StringNotEquals: { "iam:PermissionsBoundary": boundary } },
    },
    {
      Sid: "BoundariesStayAsTheAdministratorSetThem",
      Effect: "Deny",
      Action: [...boundaryChangingActions],
      Resource: ["*"],
    },
    {
      Sid: "NoOtherScopesSecretsKeysOrFunctions",
      Effect: "Deny",
      Action: scopeGuardedActions,
      ...(sharedArns.length > 0 ? { NotResource: sharedArns } : { Resource: ["*"] }),
      Condition: {
        StringNotLike: { [`aws:ResourceTag/${scopeTagKey}`]: reach.scopeTags ?? [scope.name] },
        Null: { [`aws:ResourceTag/${scopeTagKey}`]: "false" },
      },
    },
    ...(shared.length > 0
      ? [
          {
            Sid: "SharedResourcesOnlyThroughTheirActions",
            Effect: "Deny" as const,
            NotAction: [...new Set(shared.flatMap((resource) => resource.actions))],
            Resource: sharedArns,
          },
        ]
      : []),
  ]);
}
