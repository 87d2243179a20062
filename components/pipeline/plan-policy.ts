import type { Account, PolicyStatement } from "../iam";
import { readStateStatements, s3StateLocation } from "./state-access";

/**
 * A read-only preview of the stack (the Plan action): read its state, and what the program's provider functions read.
 * Nothing here writes, passes a role or reads a secret beyond those the project is handed.
 */
export function readStackStatements(
  account: Account,
  backendUrl: string | undefined,
): PolicyStatement[] {
  return [
    ...readStateStatements(account.partition, s3StateLocation(backendUrl)),
    // aws.getAvailabilityZones, which the service's network calls; the action has no resource type.
    {
      Sid: "ReadAvailabilityZones",
      Effect: "Allow",
      Action: ["ec2:DescribeAvailabilityZones"],
      Resource: ["*"],
    },
  ];
}

/**
 * What a refresh reads: the configuration of each kind of resource this program declares. Read and list actions only;
 * no secret values, no object data, no function code (GetFunction's code link is not needed to compare configuration).
 */
export const readResourcesActions = [
  "apigateway:GET",
  "cloudwatch:DescribeAlarms",
  "cloudwatch:ListTagsForResource",
  "codeartifact:DescribeDomain",
  "codeartifact:DescribeRepository",
  "codeartifact:GetDomainPermissionsPolicy",
  "codeartifact:GetRepositoryPermissionsPolicy",
  "codeartifact:ListTagsForResource",
  "codebuild:BatchGetProjects",
  "codebuild:BatchGetReportGroups",
  "codebuild:ListSourceCredentials",
  "codepipeline:GetPipeline",
  "codepipeline:ListTagsForResource",
  "codepipeline:ListWebhooks",
  "codestar-connections:GetConnection",
  "codestar-connections:ListTagsForResource",
  "codestar-notifications:DescribeNotificationRule",
  "codestar-notifications:ListTagsForResource",
  "ec2:DescribeAvailabilityZones",
  "ec2:DescribeInternetGateways",
  "ec2:DescribeNetworkAcls",
  "ec2:DescribeRouteTables",
  "ec2:DescribeSecurityGroupRules",
  "ec2:DescribeSecurityGroups",
  "ec2:DescribeSubnets",
  "ec2:DescribeVpcAttribute",
  "ec2:DescribeVpcEndpoints",
  "ec2:DescribeVpcs",
  "events:DescribeRule",
  "events:ListTagsForResource",
  "events:ListTargetsByRule",
  "iam:GetPolicy",
  "iam:GetPolicyVersion",
  "iam:GetRole",
  "iam:GetRolePolicy",
  "iam:ListAttachedRolePolicies",
  "iam:ListRolePolicies",
  "kms:DescribeKey",
  "kms:GetKeyPolicy",
  "kms:GetKeyRotationStatus",
  "kms:ListResourceTags",
  "lambda:GetFunctionConfiguration",
  "lambda:GetFunctionCodeSigningConfig",
  "lambda:GetFunctionConcurrency",
  "lambda:GetPolicy",
  "lambda:ListTags",
  "lambda:ListVersionsByFunction",
  "logs:DescribeLogGroups",
  "logs:ListTagsForResource",
  "rds:DescribeDBInstances",
  "rds:DescribeDBSubnetGroups",
  "rds:DescribeDBParameterGroups",
  "rds:ListTagsForResource",
  "s3:GetBucketAcl",
  "s3:GetBucketLocation",
  "s3:GetBucketPolicy",
  "s3:GetBucketPublicAccessBlock",
  "s3:GetBucketTagging",
  "s3:GetBucketVersioning",
  "s3:GetEncryptionConfiguration",
  "s3:GetLifecycleConfiguration",
  "s3:ListBucket",
  "secretsmanager:DescribeSecret",
  "secretsmanager:GetResourcePolicy",
  "sns:GetSubscriptionAttributes",
  "sns:GetTopicAttributes",
  "sns:ListTagsForResource",
  "sqs:GetQueueAttributes",
  "sqs:ListQueueTags",
] as const;

// Describe actions IAM lets act on "*" only (no resource type); every other read names this account's resources.
const actionsOnAnyResource = [
  "ec2:DescribeAvailabilityZones",
  "ec2:DescribeSecurityGroups",
  "ec2:DescribeSubnets",
  "ec2:DescribeVpcs",
];

/** Every resource of one service in this account and region, in the ARN form that service uses. */
function serviceResources(service: string, account: Account): string {
  const { partition, region, accountId } = account;
  if (service === "s3") return `arn:${partition}:s3:::*`;
  if (service === "iam") return `arn:${partition}:iam::${accountId}:*`;
  if (service === "apigateway") return `arn:${partition}:apigateway:${region}::/*`;
  return `arn:${partition}:${service}:${region}:${accountId}:*`;
}

/** A refresh of the stack's resources (drift checks): reads only, on this account's resources in the stack's region. */
export function readResourcesStatements(account: Account): PolicyStatement[] {
  const scoped = readResourcesActions.filter((a) => !actionsOnAnyResource.includes(a));
  const services = [...new Set(scoped.map((a) => a.split(":")[0]))];
  return [
    {
      Sid: "DescribeNetwork",
      Effect: "Allow",
      Action: readResourcesActions.filter((a) => actionsOnAnyResource.includes(a)),
      Resource: ["*"],
    },
    {
      Sid: "ReadStackResources",
      Effect: "Allow",
      Action: [...scoped],
      Resource: services.map((service) => serviceResources(service, account)),
    },
  ];
}
