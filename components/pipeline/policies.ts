/** IAM policy documents of the pipeline, as plain data: each role gets what its work needs, on its own resources. */
import { policyDocument, type Account, type PolicyDocument, type PolicyStatement } from "../iam";

/** Refuses every request to the bucket that does not use TLS. */
export function tlsOnlyBucketPolicy(bucketArn: string): PolicyDocument {
  return policyDocument([
    {
      Sid: "DenyRequestsWithoutTls",
      Effect: "Deny",
      Principal: "*",
      Action: ["s3:*"],
      Resource: [bucketArn, `${bucketArn}/*`],
      Condition: { Bool: { "aws:SecureTransport": "false" } },
    },
  ]);
}

/** A grant in a key policy to a principal besides the account. */
export interface KeyUser {
  readonly sid: string;
  readonly principal: Readonly<Partial<Record<"AWS" | "Service", string>>>;
  readonly actions: readonly string[];
}

/** Key policy: the account administers the key through IAM policies; named users may use it directly. */
export function keyPolicy(account: Account, users: readonly KeyUser[] = []): PolicyDocument {
  return policyDocument([
    // Without this, no IAM policy could grant use of the key, and the key could become unmanageable.
    {
      Sid: "AccountAdministersKeyThroughIam",
      Effect: "Allow",
      Principal: { AWS: `arn:${account.partition}:iam::${account.accountId}:root` },
      Action: ["kms:*"],
      Resource: ["*"],
    },
    ...users.map((user) => ({
      Sid: user.sid,
      Effect: "Allow" as const,
      Principal: user.principal,
      Action: user.actions,
      Resource: ["*"],
    })),
  ]);
}

/** What encrypting and decrypting with a customer-managed key takes. */
export const keyUseActions = [
  "kms:Decrypt",
  "kms:Encrypt",
  "kms:ReEncrypt*",
  "kms:GenerateDataKey*",
  "kms:DescribeKey",
] as const;

export interface PipelineRoleResources {
  readonly bucketArn: string;
  readonly keyArn: string;
  readonly projectArns: readonly string[];
  readonly projectRoleArns: readonly string[];
  readonly approval?: { readonly topicArn: string; readonly keyArn: string };
  readonly connectionArn?: string;
  /** Alarms the stage conditions watch (CloudWatchAlarm rules run as the pipeline's role). */
  readonly watchedAlarmArns?: readonly string[];
}

/** The pipeline's role: its bucket and key, its own builds and project roles, its approval topic, its connection. */
export function pipelineRolePolicy(r: PipelineRoleResources): PolicyDocument {
  const statements: PolicyStatement[] = [
    {
      Sid: "ReadWriteArtifacts",
      Effect: "Allow",
      Action: ["s3:GetObject", "s3:GetObjectVersion", "s3:PutObject", "s3:PutObjectAcl"],
      Resource: [`${r.bucketArn}/*`],
    },
    {
      Sid: "ReadArtifactBucket",
      Effect: "Allow",
      Action: ["s3:GetBucketVersioning", "s3:GetBucketLocation", "s3:ListBucket"],
      Resource: [r.bucketArn],
    },
    { Sid: "UseArtifactKey", Effect: "Allow", Action: [...keyUseActions], Resource: [r.keyArn] },
  ];
  if (r.projectArns.length > 0) {
    statements.push({
      Sid: "StartAndReadOwnBuilds",
      Effect: "Allow",
      Action: ["codebuild:StartBuild", "codebuild:BatchGetBuilds", "codebuild:StopBuild"],
      Resource: [...r.projectArns],
    });
    // The AWS-managed CodePipeline role may pass any role; this one passes only its projects' roles, only to CodeBuild.
    statements.push({
      Sid: "PassOnlyOwnProjectRoles",
      Effect: "Allow",
      Action: ["iam:PassRole"],
      Resource: [...r.projectRoleArns],
      Condition: { StringEquals: { "iam:PassedToService": "codebuild.amazonaws.com" } },
    });
  }
  if (r.approval) {
    statements.push({
      Sid: "NotifyApprovers",
      Effect: "Allow",
      Action: ["sns:Publish"],
      Resource: [r.approval.topicArn],
    });
    statements.push({
      Sid: "EncryptApprovalNotices",
      Effect: "Allow",
      Action: ["kms:GenerateDataKey*", "kms:Decrypt"],
      Resource: [r.approval.keyArn],
    });
  }
  if (r.watchedAlarmArns && r.watchedAlarmArns.length > 0) {
    statements.push({
      Sid: "ReadWatchedAlarms",
      Effect: "Allow",
      Action: ["cloudwatch:DescribeAlarms", "cloudwatch:DescribeAlarmHistory"],
      Resource: [...r.watchedAlarmArns],
    });
  }
  if (r.connectionArn) {
    // Connection ARNs may carry either service prefix; IAM checks the action of the prefix the connection has.
    statements.push({
      Sid: "UseSourceConnection",
      Effect: "Allow",
      Action: ["codestar-connections:UseConnection", "codeconnections:UseConnection"],
      Resource: [r.connectionArn],
    });
  }
  return policyDocument(statements);
}

/** How a build project may reach the repository its badge tracks. */
export type SourceCredential =
  | { readonly kind: "secret"; readonly arn: string }
  | { readonly kind: "connection"; readonly arn: string };

export interface BuildProjectResources {
  readonly logGroupArn: string;
  readonly bucketArn: string;
  /** Key prefix of the pipeline's artifacts. */
  readonly artifactPrefix: string;
  /** Key prefix of the project's S3 cache; absent without an S3 cache. */
  readonly cachePrefix?: string;
  readonly keyArn: string;
  readonly reportGroupArns: readonly string[];
  /** Secrets handed to the project (Secrets Manager ARNs): only these it may read. */
  readonly secretArns: readonly string[];
  readonly sourceCredential?: SourceCredential;
}

/** A build project's role: its log group, its artifacts and cache prefixes, its key, its report groups, its secrets. */
export function buildProjectPolicy(r: BuildProjectResources): PolicyDocument {
  const statements: PolicyStatement[] = [
    {
      Sid: "WriteOwnLogs",
      Effect: "Allow",
      Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
      Resource: [r.logGroupArn, `${r.logGroupArn}:*`],
    },
    {
      Sid: "ReadWritePipelineArtifacts",
      Effect: "Allow",
      Action: ["s3:GetObject", "s3:GetObjectVersion", "s3:PutObject"],
      Resource: [`${r.bucketArn}/${r.artifactPrefix}/*`],
    },
    {
      Sid: "LocateArtifactBucket",
      Effect: "Allow",
      Action: ["s3:GetBucketAcl", "s3:GetBucketLocation"],
      Resource: [r.bucketArn],
    },
    { Sid: "UseArtifactKey", Effect: "Allow", Action: [...keyUseActions], Resource: [r.keyArn] },
  ];
  if (r.cachePrefix)
    statements.push({
      Sid: "ReadWriteOwnCache",
      Effect: "Allow",
      Action: ["s3:GetObject", "s3:PutObject"],
      Resource: [`${r.bucketArn}/${r.cachePrefix}/*`],
    });
  if (r.reportGroupArns.length > 0) {
    statements.push({
      Sid: "WriteOwnReports",
      Effect: "Allow",
      Action: [
        "codebuild:CreateReportGroup",
        "codebuild:CreateReport",
        "codebuild:UpdateReport",
        "codebuild:BatchPutTestCases",
        "codebuild:BatchPutCodeCoverages",
      ],
      Resource: [...r.reportGroupArns],
    });
  }
  const secrets = [
    ...r.secretArns,
    ...(r.sourceCredential?.kind === "secret" ? [r.sourceCredential.arn] : []),
  ];
  if (secrets.length > 0)
    statements.push({
      Sid: "ReadOwnSecrets",
      Effect: "Allow",
      Action: ["secretsmanager:GetSecretValue"],
      Resource: secrets,
    });
  if (r.sourceCredential?.kind === "connection") {
    statements.push({
      Sid: "UseSourceConnection",
      Effect: "Allow",
      Action: [
        "codestar-connections:GetConnectionToken",
        "codestar-connections:GetConnection",
        "codeconnections:GetConnectionToken",
        "codeconnections:GetConnection",
      ],
      Resource: [r.sourceCredential.arn],
    });
  }
  return policyDocument(statements);
}

export interface PackageRepositoryResources {
  readonly account: Account;
  readonly domain: string;
  readonly repository: string;
}

/** The Publish project: sign in to its CodeArtifact domain, read its repository, publish npm packages there. */
export function publishPolicyStatements(r: PackageRepositoryResources): PolicyStatement[] {
  const arn = (resource: string) =>
    `arn:${r.account.partition}:codeartifact:${r.account.region}:${r.account.accountId}:${resource}`;
  return [
    {
      Sid: "SignInToDomain",
      Effect: "Allow",
      Action: ["codeartifact:GetAuthorizationToken"],
      Resource: [arn(`domain/${r.domain}`)],
    },
    // CodeArtifact sign-in asks STS for a bearer token, an action with no resource type.
    {
      Sid: "BearerTokenForCodeArtifact",
      Effect: "Allow",
      Action: ["sts:GetServiceBearerToken"],
      Resource: ["*"],
      Condition: { StringEquals: { "sts:AWSServiceName": "codeartifact.amazonaws.com" } },
    },
    {
      Sid: "ReadRepository",
      Effect: "Allow",
      Action: ["codeartifact:GetRepositoryEndpoint", "codeartifact:ReadFromRepository"],
      Resource: [arn(`repository/${r.domain}/${r.repository}`)],
    },
    {
      Sid: "PublishNpmPackages",
      Effect: "Allow",
      Action: ["codeartifact:PublishPackageVersion", "codeartifact:DescribePackageVersion"],
      Resource: [arn(`package/${r.domain}/${r.repository}/npm/*`)],
    },
  ];
}
