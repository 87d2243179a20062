import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { Account } from "../iam";
import { keyPolicy, tlsOnlyBucketPolicy } from "./policies";

export interface ArtifactStoreArgs {
  /** Account, region and partition the key policy names. */
  readonly account: pulumi.Input<Account>;
  /** Days after which artifacts, and versions they replaced, expire. */
  readonly retentionDays: number;
}

/** The pipeline's artifact bucket: versioned, SSE-KMS with its own rotating key, private, TLS-only, old artifacts expiring. */
export class ArtifactStore extends pulumi.ComponentResource {
  readonly bucketName: pulumi.Output<string>;
  readonly bucketArn: pulumi.Output<string>;
  readonly keyArn: pulumi.Output<string>;

  constructor(name: string, args: ArtifactStoreArgs, opts?: pulumi.ComponentResourceOptions) {
    super("pipelines:cicd:ArtifactStore", name, {}, opts);
    const parent = { parent: this };

    const key = new aws.kms.Key(
      `${name}-key`,
      {
        description: `Encrypts the pipeline artifacts and build outputs in ${name}`,
        enableKeyRotation: true,
        deletionWindowInDays: 30,
        policy: pulumi.output(args.account).apply((account) => JSON.stringify(keyPolicy(account))),
      },
      parent,
    );

    // Artifacts can be rebuilt from the repository: the bucket may go with the stack even when not empty.
    const bucket = new aws.s3.Bucket(`${name}-bucket`, { forceDestroy: true }, parent);
    const ownership = new aws.s3.BucketOwnershipControls(
      `${name}-ownership`,
      { bucket: bucket.id, rule: { objectOwnership: "BucketOwnerEnforced" } },
      parent,
    );
    const publicAccess = new aws.s3.BucketPublicAccessBlock(
      `${name}-public-access`,
      {
        bucket: bucket.id,
        blockPublicAcls: true,
        blockPublicPolicy: true,
        ignorePublicAcls: true,
        restrictPublicBuckets: true,
      },
      parent,
    );
    const versioning = new aws.s3.BucketVersioning(
      `${name}-versioning`,
      { bucket: bucket.id, versioningConfiguration: { status: "Enabled" } },
      parent,
    );
    new aws.s3.BucketServerSideEncryptionConfiguration(
      `${name}-encryption`,
      {
        bucket: bucket.id,
        rules: [
          {
            applyServerSideEncryptionByDefault: {
              sseAlgorithm: "aws:kms",
              kmsMasterKeyId: key.arn,
            },
            bucketKeyEnabled: true,
          },
        ],
      },
      parent,
    );
    new aws.s3.BucketPolicy(
      `${name}-tls-only`,
      {
        bucket: bucket.id,
        policy: bucket.arn.apply((arn) => JSON.stringify(tlsOnlyBucketPolicy(arn))),
      },
      { parent: this, dependsOn: [publicAccess, ownership] },
    );
    new aws.s3.BucketLifecycleConfiguration(
      `${name}-expiry`,
      {
        bucket: bucket.id,
        rules: [
          {
            id: "expire-old-artifacts",
            status: "Enabled",
            filter: { prefix: "" },
            expiration: { days: args.retentionDays },
            noncurrentVersionExpiration: { noncurrentDays: args.retentionDays },
            abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
          },
        ],
      },
      { parent: this, dependsOn: [versioning] },
    );

    this.bucketName = bucket.bucket;
    this.bucketArn = bucket.arn;
    this.keyArn = key.arn;
    this.registerOutputs({
      bucketName: this.bucketName,
      bucketArn: this.bucketArn,
      keyArn: this.keyArn,
    });
  }
}
