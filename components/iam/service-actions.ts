import type { Account } from "./account";

/**
 * The AWS services whose resources the program creates in the stack's region, each with the ARN pattern of this
 * account and region. The boundary allows them; the Deploy role manages them (secrets and keys only by scope tag).
 */
export const regionalServices: ReadonlyArray<{
  readonly prefix: string;
  readonly arn: (a: Account, name: string) => string;
}> = [
  { prefix: "apigateway", arn: (a, name) => `arn:${a.partition}:apigateway:${a.region}::/${name}` },
  ...[
    "cloudwatch",
    "codeartifact",
    "codebuild",
    "codedeploy",
    "codeconnections",
    "codepipeline",
    "codestar-connections",
    "codestar-notifications",
    "ec2",
    "events",
    "kms",
    "lambda",
    "logs",
    "rds",
    "secretsmanager",
    "sns",
    "sqs",
    "ssm",
  ].map((prefix) => ({
    prefix,
    arn: (a: Account, name: string) =>
      `arn:${a.partition}:${prefix}:${a.region}:${a.accountId}:${name}`,
  })),
];

/**
 * Actions allowed on Resource "*", each because it has no resource type to name (Service Authorization Reference),
 * so no ARN could scope it.
 */
export const actionsOnAnyResource: ReadonlyArray<{
  readonly action: string;
  readonly why: string;
}> = [
  { action: "sts:GetCallerIdentity", why: "the provider asks who it runs as; no resource type" },
  {
    action: "ec2:Describe*",
    why: "EC2 Describe actions do not support resource-level permissions",
  },
  { action: "kms:CreateKey", why: "a key that does not exist yet has no ARN; no resource type" },
  {
    action: "tag:GetResources",
    why: "the review teardown finds what still carries a stack's tag; no resource type",
  },
  // API Gateway developer guide, "Configuring logging for an HTTP API": these on "*" turn on access logging.
  ...[
    "logs:CreateLogDelivery",
    "logs:GetLogDelivery",
    "logs:UpdateLogDelivery",
    "logs:DeleteLogDelivery",
    "logs:ListLogDeliveries",
    "logs:PutResourcePolicy",
    "logs:DescribeResourcePolicies",
  ].map((action) => ({
    action,
    why: 'HTTP API access logging (API Gateway developer guide) needs it on Resource "*"',
  })),
];

/**
 * An interface endpoint with private DNS associates the VPC with a private hosted zone AWS keeps for the service, on
 * the caller's behalf (the VPC also needs DNS support and DNS hostnames on).
 */
export const privateDnsActions = [
  "route53:AssociateVPCWithHostedZone",
  "route53:DisassociateVPCFromHostedZone",
] as const;
