import type { PolicyDocument } from "../iam";
import { readStateStatements, type S3StateLocation } from "../pipeline/state-access";

export { s3StateLocation, type S3StateLocation } from "../pipeline/state-access";

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

/** What a preview role may touch (the preview project's, or the GitHub Actions preview role's). */
export interface PreviewPermissions {
  readonly partition: string;
  /** ARN of the project's log group; absent for a runner that keeps its own logs (GitHub Actions). */
  readonly logGroupArn?: string;
  /** ARNs of the Secrets Manager secrets the project reads (GitHub token, backend credentials); may be empty. */
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
  return {
    Version: "2012-10-17",
    Statement: [
      ...(p.logGroupArn
        ? [
            {
              Sid: "WriteOwnLogs",
              Effect: "Allow" as const,
              Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
              Resource: `${p.logGroupArn}:*`,
            },
          ]
        : []),
      // IAM refuses a statement without resources, so a role that reads no secret gets no statement.
      ...(p.secretArns.length > 0
        ? [
            {
              Sid: "ReadOwnSecrets",
              Effect: "Allow" as const,
              Action: ["secretsmanager:GetSecretValue"],
              Resource: [...p.secretArns],
            },
          ]
        : []),
      // None of these has a resource type in the Service Authorization Reference, so "*" is the only resource.
      { Sid: "ReadWhatTheProgramReads", Effect: "Allow", Action: reads, Resource: "*" },
      ...readStateStatements(p.partition, p.state),
    ],
  };
}
