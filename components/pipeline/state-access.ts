import type { PolicyStatement } from "../iam";

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

/** ARN of the state bucket. */
export const stateBucketArn = (partition: string, state: S3StateLocation) =>
  `arn:${partition}:s3:::${state.bucket}`;

/** ARN of the folder the backend writes everything under (`<prefix>/.pulumi`): stacks, locks, history, backups. */
export const stateFolderArn = (partition: string, state: S3StateLocation) =>
  `${stateBucketArn(partition, state)}/${state.prefix ? `${state.prefix}/` : ""}.pulumi`;

/**
 * Read-only access to the state of an s3:// backend: a preview reads the checkpoints and looks for locks; it takes
 * none and writes no history. Listing is not narrowed by prefix: S3 answers a missing object with 403 instead of 404
 * unless ListBucket holds for the request. Pulumi Cloud state is read with the access token: no statement.
 */
export function readStateStatements(
  partition: string,
  state: S3StateLocation | undefined,
): PolicyStatement[] {
  if (!state) return [];
  return [
    {
      Sid: "ListState",
      Effect: "Allow",
      Action: ["s3:ListBucket", "s3:GetBucketLocation"],
      Resource: [stateBucketArn(partition, state)],
    },
    {
      Sid: "ReadState",
      Effect: "Allow",
      Action: ["s3:GetObject"],
      Resource: [`${stateFolderArn(partition, state)}/*`],
    },
  ];
}
