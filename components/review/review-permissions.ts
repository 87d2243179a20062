import type { PolicyDocument, PolicyStatement } from "@pulumi/aws/iam";
import { stateBucketArn, stateFolderArn, type S3StateLocation } from "../pipeline/state-access";
import { scopeTagKey } from "../iam/role-scope";
import { reviewStackTagKey } from "./review-settings";
import { reviewResourcePrefix } from "./review-stack-config";

/** What the review builds' role may touch. */
export interface ReviewPermissions {
  readonly partition: string;
  readonly region: string;
  readonly accountId: string;
  /** ARN of the review builds' log group. */
  readonly logGroupArn: string;
  /** ARNs of the secrets the builds read (GitHub token, backend credentials). */
  readonly secretArns: readonly string[];
  /** The Pulumi project, whose review stacks' state the role writes. */
  readonly project: string;
  /** The stack review stacks copy: its state is read (stack reference), never written. */
  readonly baseStack: string;
  /** The base stack's migrate function, which alone creates and drops review databases on its instance. */
  readonly databaseFunctionArn: string;
  /** The self-managed state backend in S3, if any. */
  readonly state?: S3StateLocation;
  /** IAM path of the review scope's roles: review stacks' roles sit there, named review-pr-*. */
  readonly rolePath: string;
  /** The review scope's permissions boundary, which every role a review stack creates must carry. */
  readonly permissionsBoundaryArn: string;
}

/** Services whose resources a review stack creates, with the ARN form of a resource named `name`. */
const namedServices: ReadonlyArray<{
  readonly actions: string;
  readonly arn: (p: ReviewPermissions, name: string) => string;
}> = [
  {
    actions: "lambda:*",
    arn: (p, name) => `arn:${p.partition}:lambda:${p.region}:${p.accountId}:function:${name}`,
  },
  {
    actions: "logs:*",
    arn: (p, name) => `arn:${p.partition}:logs:${p.region}:${p.accountId}:log-group:${name}`,
  },
  {
    actions: "secretsmanager:*",
    arn: (p, name) => `arn:${p.partition}:secretsmanager:${p.region}:${p.accountId}:secret:${name}`,
  },
];

/** Services whose ARNs carry generated ids, not names: the review tag confines them, within the account and region. */
const taggedServices: ReadonlyArray<{
  readonly actions: string;
  readonly arns: (p: ReviewPermissions) => string;
}> = [
  { actions: "apigateway:*", arns: (p) => `arn:${p.partition}:apigateway:${p.region}::/*` },
  { actions: "ec2:*", arns: (p) => `arn:${p.partition}:ec2:${p.region}:${p.accountId}:*` },
  { actions: "kms:*", arns: (p) => `arn:${p.partition}:kms:${p.region}:${p.accountId}:key/*` },
  {
    actions: "cloudwatch:*",
    arns: (p) => `arn:${p.partition}:cloudwatch:${p.region}:${p.accountId}:alarm:*`,
  },
];

/**
 * The review role's policy. It makes and changes only what a review stack owns: resources named `review-*` (Pulumi's
 * autonaming pattern of a review stack), and, for services whose ARNs hold generated ids, resources created with the
 * review tag or already carrying one. Roles only under the review path. Of the base stack it reads the state and
 * invokes one function, which creates and drops `review_pr_*` databases; nothing else of dev's or production's.
 */
export function reviewRolePolicy(p: ReviewPermissions): PolicyDocument {
  // review-pr-*: what review stacks name; the review builds' own resources (review-stacks-*) stay out of reach.
  const named = `${reviewResourcePrefix}pr-*`;
  const tag = `aws:ResourceTag/${reviewStackTagKey}`;
  const requestTag = `aws:RequestTag/${reviewStackTagKey}`;
  const reviewTagged = { StringLike: { [tag]: "pr-*" } };
  const statements: PolicyStatement[] = [
    {
      Sid: "WriteOwnLogs",
      Effect: "Allow",
      Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
      Resource: `${p.logGroupArn}:*`,
    },
    {
      Sid: "ReadOwnSecrets",
      Effect: "Allow",
      Action: ["secretsmanager:GetSecretValue"],
      Resource: [...p.secretArns],
    },
    ...namedServices.map((service, index) => ({
      Sid: `ReviewNamed${index}`,
      Effect: "Allow" as const,
      Action: [service.actions],
      Resource: [
        service.arn(p, named),
        `${service.arn(p, named)}:*`,
        service.arn(p, `/aws/lambda/${named}`),
        `${service.arn(p, `/aws/lambda/${named}`)}:*`,
      ],
    })),
    // Only what has no scope tag yet: tagging dev's security group or API for review would hand it to this role.
    {
      Sid: "CreateReviewTagged",
      Effect: "Allow",
      Action: taggedServices.map((t) => t.actions),
      Resource: taggedServices.map((t) => t.arns(p)),
      Condition: {
        StringLike: { [requestTag]: "pr-*" },
        Null: { [`aws:ResourceTag/${scopeTagKey}`]: "true" },
      },
    },
    {
      Sid: "ChangeReviewTagged",
      Effect: "Allow",
      Action: taggedServices.map((t) => t.actions),
      Resource: taggedServices.map((t) => t.arns(p)),
      Condition: reviewTagged,
    },
    {
      Sid: "ReviewRoles",
      Effect: "Allow",
      Action: [
        "iam:CreateRole",
        "iam:DeleteRole",
        "iam:TagRole",
        "iam:PutRolePolicy",
        "iam:DeleteRolePolicy",
      ],
      Resource: `arn:${p.partition}:iam::${p.accountId}:role${p.rolePath}${named}`,
      Condition: { StringEquals: { "iam:PermissionsBoundary": p.permissionsBoundaryArn } },
    },
    {
      Sid: "ReadAndPassReviewRoles",
      Effect: "Allow",
      Action: [
        "iam:GetRole",
        "iam:GetRolePolicy",
        "iam:ListRolePolicies",
        "iam:ListAttachedRolePolicies",
        "iam:PassRole",
      ],
      Resource: `arn:${p.partition}:iam::${p.accountId}:role${p.rolePath}${named}`,
    },
    {
      Sid: "ReviewDatabases",
      Effect: "Allow",
      Action: ["lambda:InvokeFunction"],
      Resource: p.databaseFunctionArn,
    },
    // None of these has a resource type: reading what exists, and finding what a teardown left.
    {
      Sid: "ReadAndFindLeftovers",
      Effect: "Allow",
      Action: [
        "tag:GetResources",
        "sts:GetCallerIdentity",
        "ec2:DescribeAvailabilityZones",
        "ec2:DescribeVpcs",
        "ec2:DescribeSubnets",
        "ec2:DescribeSecurityGroups",
        "ec2:DescribeNetworkInterfaces",
      ],
      Resource: "*",
    },
  ];
  if (p.state) {
    const bucket = stateBucketArn(p.partition, p.state);
    const folder = stateFolderArn(p.partition, p.state);
    statements.push(
      { Sid: "ListState", Effect: "Allow", Action: ["s3:ListBucket"], Resource: bucket },
      {
        Sid: "ReadBaseState",
        Effect: "Allow",
        Action: ["s3:GetObject"],
        Resource: `${folder}/stacks/${p.project}/${p.baseStack}.json`,
      },
      {
        Sid: "WriteReviewState",
        Effect: "Allow",
        Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
        Resource: [
          `${folder}/stacks/${p.project}/pr-*`,
          `${folder}/locks/${p.project}/pr-*`,
          `${folder}/history/${p.project}/pr-*`,
          `${folder}/backups/${p.project}/pr-*`,
        ],
      },
    );
  }
  return { Version: "2012-10-17", Statement: statements };
}
