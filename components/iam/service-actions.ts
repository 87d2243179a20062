import {
  actionsOnAnyResource as policyPackActions,
  httpApiLogDeliveryActions,
  type ActionOnAnyResource,
} from "../../policies/actions-on-any-resource";
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
 * Actions the boundary allows on Resource "*", each with the reason the policy pack's list gives for it (no resource
 * type to name, so no ARN could scope it): the boundary grants on "*" nothing the pack would refuse.
 */
export const actionsOnAnyResource: readonly ActionOnAnyResource[] = [
  "sts:GetCallerIdentity",
  "ec2:Describe*",
  "kms:CreateKey",
  "tag:GetResources",
  ...httpApiLogDeliveryActions,
].map((action) => {
  const allowed = policyPackActions.find((entry) => entry.action === action);
  if (!allowed) throw new Error(`the policy pack does not allow ${action} on Resource "*"`);
  return allowed;
});

/**
 * An interface endpoint with private DNS associates the VPC with a private hosted zone AWS keeps for the service, on
 * the caller's behalf (the VPC also needs DNS support and DNS hostnames on).
 */
export const privateDnsActions = [
  "route53:AssociateVPCWithHostedZone",
  "route53:DisassociateVPCFromHostedZone",
] as const;
