import {
  actionsOnAnyResource,
  boundaryArn,
  boundedRoleActions,
  deployerChores,
  regionalServices,
  roleReadActions,
  roleTagActions,
  rolesUnder,
  scopeTagKey,
  type Account,
  type PolicyStatement,
  type RoleScope,
} from "../iam";

/**
 * The Deploy project runs `pulumi up` of this very program, so its role manages every kind of resource the program
 * declares, in this account and region. It cannot grow: it may create and change roles only under the stack's role
 * path and only with the stack's permissions boundary, and the boundary it carries itself denies changing any role
 * outside that path (its own role sits under the admin path), any boundary, and other stacks' secrets and keys.
 */

// Secrets and keys are managed by the scope's tag, not by ARN: another stack's are out of reach.
const taggedServices = ["secretsmanager", "kms"];

/** Actions the Deploy role is allowed on Resource "*": each has no resource type to name. */
export const deployActionsOnAnyResource = actionsOnAnyResource;

/** The Deploy project's extra statements: manage this stack's resources in this account and region. */
export function deployPolicyStatements(account: Account, scope: RoleScope): PolicyStatement[] {
  const managed = regionalServices.filter((s) => !taggedServices.includes(s.prefix));
  const arnOf = (prefix: string, resource: string) =>
    regionalServices.find((s) => s.prefix === prefix)!.arn(account, resource);
  const ownTag = { StringEquals: { [`aws:ResourceTag/${scopeTagKey}`]: scope.name } };
  const createdWithOwnTag = { StringEquals: { [`aws:RequestTag/${scopeTagKey}`]: scope.name } };
  const boundary = boundaryArn(scope, account);
  return [
    {
      Sid: "ManageStackResourcesInThisRegion",
      Effect: "Allow",
      Action: managed.map((s) => `${s.prefix}:*`),
      Resource: managed.map((s) => s.arn(account, "*")),
    },
    // Bucket ARNs name no account: the condition keeps the role to this account's buckets (and the state bucket in it).
    {
      Sid: "ManageBucketsOfThisAccount",
      Effect: "Allow",
      Action: ["s3:*"],
      Resource: [`arn:${account.partition}:s3:::*`],
      Condition: { StringEquals: { "aws:ResourceAccount": account.accountId } },
    },
    {
      Sid: "ManageOwnSecretsAndKeys",
      Effect: "Allow",
      Action: ["secretsmanager:*", "kms:*"],
      Resource: [arnOf("secretsmanager", "secret:*"), arnOf("kms", "key/*")],
      Condition: ownTag,
    },
    {
      Sid: "CreateSecretsAndKeysWithOwnTag",
      Effect: "Allow",
      Action: ["secretsmanager:CreateSecret", "secretsmanager:TagResource", "kms:TagResource"],
      Resource: [arnOf("secretsmanager", "secret:*"), arnOf("kms", "key/*")],
      Condition: createdWithOwnTag,
    },
    // A key that does not exist yet has no ARN: CreateKey has no resource type, so only its request tag scopes it.
    {
      Sid: "CreateKeysWithOwnTag",
      Effect: "Allow",
      Action: ["kms:CreateKey"],
      Resource: ["*"],
      Condition: createdWithOwnTag,
    },
    // RDS keeps a managed master password in a secret it creates (rds!...) with its own tags, on the caller's behalf.
    {
      Sid: "LetRdsKeepTheMasterPassword",
      Effect: "Allow",
      Action: [
        "secretsmanager:CreateSecret",
        "secretsmanager:TagResource",
        "secretsmanager:DescribeSecret",
        "secretsmanager:RotateSecret",
        "secretsmanager:DeleteSecret",
      ],
      Resource: [arnOf("secretsmanager", "secret:rds!*")],
      Condition: { "ForAnyValue:StringEquals": { "aws:CalledVia": ["rds.amazonaws.com"] } },
    },
    {
      Sid: "ManageStackRolesWithTheBoundary",
      Effect: "Allow",
      Action: [...boundedRoleActions],
      Resource: [rolesUnder(scope.rolePath, account)],
      Condition: { StringEquals: { "iam:PermissionsBoundary": boundary } },
    },
    {
      Sid: "TagStackRoles",
      Effect: "Allow",
      Action: [...roleTagActions],
      Resource: [rolesUnder(scope.rolePath, account)],
    },
    {
      Sid: "ReadAndPassStackRoles",
      Effect: "Allow",
      Action: [...roleReadActions, "iam:PassRole"],
      Resource: [rolesUnder(scope.rolePath, account), rolesUnder(scope.adminPath, account)],
    },
    ...deployerChores(boundary, account),
    {
      Sid: "ActionsWithoutResourceTypes",
      Effect: "Allow",
      Action: deployActionsOnAnyResource
        .map((entry) => entry.action)
        .filter((action) => action !== "kms:CreateKey"),
      Resource: ["*"],
    },
  ];
}
