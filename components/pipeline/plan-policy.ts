import type { Account, PolicyStatement } from "../iam";

/** The bucket and key prefix of an s3:// state backend URL; absent for any other backend. */
export function stateBucketOf(backendUrl: string | undefined): { readonly bucket: string; readonly prefix: string } | undefined {
  const match = /^s3:\/\/([^/?]+)\/?([^?]*)/.exec(backendUrl ?? "");
  return match ? { bucket: match[1], prefix: match[2].replace(/\/+$/, "") } : undefined;
}

/**
 * A read-only preview of the stack (the Plan action): read its state, and what the program's provider functions read.
 * Nothing here writes, passes a role or reads a secret beyond those the project is handed; Pulumi Cloud state is read
 * with the access token, so only an s3:// backend needs bucket access.
 */
export function readStackStatements(account: Account, backendUrl: string | undefined): PolicyStatement[] {
  const state = stateBucketOf(backendUrl);
  const bucketArn = state && `arn:${account.partition}:s3:::${state.bucket}`;
  return [
    ...(bucketArn && state
      ? [
          { Sid: "ReadStackState", Effect: "Allow" as const, Action: ["s3:GetObject"], Resource: [`${bucketArn}/${state.prefix ? `${state.prefix}/` : ""}*`] },
          { Sid: "ListStackState", Effect: "Allow" as const, Action: ["s3:ListBucket", "s3:GetBucketLocation"], Resource: [bucketArn] },
        ]
      : []),
    // aws.getAvailabilityZones, which the service's network calls; the action has no resource type.
    { Sid: "ReadAvailabilityZones", Effect: "Allow", Action: ["ec2:DescribeAvailabilityZones"], Resource: ["*"] },
  ];
}
