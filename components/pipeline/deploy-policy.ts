import type { Account, PolicyStatement } from "./policies";

/**
 * The Deploy project runs `pulumi up` of this very program, so its role manages every kind of resource the program
 * declares. It is scoped to the services the program uses, in this account and region (S3 by resource account, as
 * bucket ARNs carry no account), with IAM limited to roles, their policies and service-linked roles. What it cannot
 * avoid: a role that may create roles and attach policies can grant itself more; see the README's trade-off note.
 */

/** Services whose resources the program creates, with the ARN pattern of this account and region. */
const regionalServices: ReadonlyArray<{ readonly prefix: string; readonly arn: (a: Account) => string }> = [
  { prefix: "apigateway", arn: (a) => `arn:${a.partition}:apigateway:${a.region}::/*` },
  { prefix: "cloudwatch", arn: (a) => `arn:${a.partition}:cloudwatch:${a.region}:${a.accountId}:*` },
  { prefix: "codeartifact", arn: (a) => `arn:${a.partition}:codeartifact:${a.region}:${a.accountId}:*` },
  { prefix: "codebuild", arn: (a) => `arn:${a.partition}:codebuild:${a.region}:${a.accountId}:*` },
  { prefix: "codeconnections", arn: (a) => `arn:${a.partition}:codeconnections:${a.region}:${a.accountId}:*` },
  { prefix: "codepipeline", arn: (a) => `arn:${a.partition}:codepipeline:${a.region}:${a.accountId}:*` },
  { prefix: "codestar-connections", arn: (a) => `arn:${a.partition}:codestar-connections:${a.region}:${a.accountId}:*` },
  { prefix: "codestar-notifications", arn: (a) => `arn:${a.partition}:codestar-notifications:${a.region}:${a.accountId}:*` },
  { prefix: "ec2", arn: (a) => `arn:${a.partition}:ec2:${a.region}:${a.accountId}:*` },
  { prefix: "events", arn: (a) => `arn:${a.partition}:events:${a.region}:${a.accountId}:*` },
  { prefix: "kms", arn: (a) => `arn:${a.partition}:kms:${a.region}:${a.accountId}:*` },
  { prefix: "lambda", arn: (a) => `arn:${a.partition}:lambda:${a.region}:${a.accountId}:*` },
  { prefix: "logs", arn: (a) => `arn:${a.partition}:logs:${a.region}:${a.accountId}:*` },
  { prefix: "rds", arn: (a) => `arn:${a.partition}:rds:${a.region}:${a.accountId}:*` },
  { prefix: "secretsmanager", arn: (a) => `arn:${a.partition}:secretsmanager:${a.region}:${a.accountId}:secret:*` },
  { prefix: "sns", arn: (a) => `arn:${a.partition}:sns:${a.region}:${a.accountId}:*` },
  { prefix: "sqs", arn: (a) => `arn:${a.partition}:sqs:${a.region}:${a.accountId}:*` },
  { prefix: "ssm", arn: (a) => `arn:${a.partition}:ssm:${a.region}:${a.accountId}:*` },
];

/** IAM actions the program's roles need: roles, their inline and attached policies, passing them to services. */
const roleActions = [
  "iam:CreateRole", "iam:DeleteRole", "iam:GetRole", "iam:UpdateRole", "iam:UpdateRoleDescription", "iam:UpdateAssumeRolePolicy",
  "iam:TagRole", "iam:UntagRole", "iam:ListRoleTags",
  "iam:PutRolePolicy", "iam:GetRolePolicy", "iam:DeleteRolePolicy", "iam:ListRolePolicies",
  "iam:AttachRolePolicy", "iam:DetachRolePolicy", "iam:ListAttachedRolePolicies", "iam:ListInstanceProfilesForRole",
  "iam:PassRole",
];

/**
 * Actions the Deploy role is allowed on Resource "*", each because it has no resource type to name
 * (Service Authorization Reference), so no ARN could scope it.
 */
export const deployActionsOnAnyResource: ReadonlyArray<{ readonly action: string; readonly why: string }> = [
  { action: "sts:GetCallerIdentity", why: "the provider asks who it runs as; no resource type" },
  { action: "ec2:Describe*", why: "EC2 Describe actions do not support resource-level permissions" },
  { action: "kms:CreateKey", why: "a key that does not exist yet has no ARN; no resource type" },
];

/** The Deploy project's extra statements: manage this program's resources in this account and region. */
export function deployPolicyStatements(account: Account): PolicyStatement[] {
  return [
    {
      Sid: "ManageStackResourcesInThisRegion",
      Effect: "Allow",
      Action: regionalServices.map((s) => `${s.prefix}:*`),
      Resource: regionalServices.map((s) => s.arn(account)),
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
      Sid: "ManageStackRoles",
      Effect: "Allow",
      Action: roleActions,
      Resource: [`arn:${account.partition}:iam::${account.accountId}:role/*`, `arn:${account.partition}:iam::${account.accountId}:policy/*`],
    },
    {
      Sid: "CreateServiceLinkedRoles",
      Effect: "Allow",
      Action: ["iam:CreateServiceLinkedRole"],
      Resource: [`arn:${account.partition}:iam::${account.accountId}:role/aws-service-role/*`],
    },
    { Sid: "ActionsWithoutResourceTypes", Effect: "Allow", Action: deployActionsOnAnyResource.map((entry) => entry.action), Resource: ["*"] },
  ];
}
