import type { PolicyDocument, PolicyStatement } from "../iam";

/**
 * What each provider function the program calls reads in AWS. `pulumi preview` (without --refresh) reads nothing
 * else: resources are diffed against the state, so the preview role needs these reads and no write.
 */
export const readActionsByInvoke: Readonly<Record<string, readonly string[]>> = {
  "aws:index/getCallerIdentity:getCallerIdentity": ["sts:GetCallerIdentity"],
  // Answered from the provider's own configuration, without a call to AWS.
  "aws:index/getRegion:getRegion": [],
  "aws:index/getPartition:getPartition": [],
  "aws:index/getAvailabilityZones:getAvailabilityZones": ["ec2:DescribeAvailabilityZones"],
};

// The AWS provider checks its credentials with this call when it starts, whatever the program calls.
const providerStartActions = ["sts:GetCallerIdentity"];

/** Where a self-managed state backend keeps the stack's state in S3. */
export interface S3StateLocation {
  readonly bucket: string;
  /** Folder inside the bucket ("" for the bucket's root); the backend keeps its files under `<prefix>/.pulumi/`. */
  readonly prefix: string;
}

/** The S3 bucket and folder of an `s3://bucket/prefix?query` backend URL; absent for Pulumi Cloud and other clouds. */
export function s3StateLocation(backendUrl: string | undefined): S3StateLocation | undefined {
  if (!backendUrl?.startsWith("s3://")) return undefined;
  const url = new URL(backendUrl);
  return { bucket: url.hostname, prefix: url.pathname.replace(/^\/+|\/+$/g, "") };
}

/** What the preview project's role may touch. */
export interface PreviewPermissions {
  readonly partition: string;
  /** ARN of the project's log group. */
  readonly logGroupArn: string;
  /** ARNs of the Secrets Manager secrets the project reads (GitHub token, backend credentials). */
  readonly secretArns: readonly string[];
  /** The self-managed state backend in S3, if the stack uses one. */
  readonly state?: S3StateLocation;
}

/**
 * The preview role's policy: its own logs, its own secrets, the reads the program's provider functions make, and read
 * access to the stack's state. Preview changes nothing, so nothing here writes. The secrets are encrypted with the
 * account's Secrets Manager key, which serves any principal of the account that may read the secret: no KMS grant.
 */
export function previewRolePolicy(p: PreviewPermissions): PolicyDocument {
  const reads = [
    ...new Set([...providerStartActions, ...Object.values(readActionsByInvoke).flat()]),
  ].sort();
  const stateStatements = p.state ? stateReadStatements(p.partition, p.state) : [];
  return {
    Version: "2012-10-17",
    Statement: [
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
      // None of these has a resource type in the Service Authorization Reference, so "*" is the only resource.
      { Sid: "ReadWhatTheProgramReads", Effect: "Allow", Action: reads, Resource: "*" },
      ...stateStatements,
    ],
  };
}

// A preview reads the stack's checkpoint and looks for locks; it takes none and writes no history. Listing is not
// narrowed by prefix: S3 answers a missing object with 403 instead of 404 unless ListBucket holds for the request.
function stateReadStatements(partition: string, state: S3StateLocation): PolicyStatement[] {
  const folder = state.prefix ? `${state.prefix}/.pulumi` : ".pulumi";
  const bucketArn = `arn:${partition}:s3:::${state.bucket}`;
  return [
    { Sid: "ListState", Effect: "Allow", Action: ["s3:ListBucket"], Resource: bucketArn },
    {
      Sid: "ReadState",
      Effect: "Allow",
      Action: ["s3:GetObject"],
      Resource: `${bucketArn}/${folder}/*`,
    },
  ];
}
