import { BucketPolicy } from "@pulumi/aws/s3/bucketPolicy";
import { BucketPublicAccessBlock } from "@pulumi/aws/s3/bucketPublicAccessBlock";
import { BucketServerSideEncryptionConfiguration } from "@pulumi/aws/s3/bucketServerSideEncryptionConfiguration";
import { BucketServerSideEncryptionConfigurationV2 } from "@pulumi/aws/s3/bucketServerSideEncryptionConfigurationV2";
import { BucketVersioning } from "@pulumi/aws/s3/bucketVersioning";
import { BucketVersioningV2 } from "@pulumi/aws/s3/bucketVersioningV2";
import { bucketRule, pending, satisfied, violated, type Verdict } from "../bucket-requirements";
import { PolicyDocumentError, policyStatements, type PolicyStatement } from "../policy-document";
import { unknownDuringPreview, type MaybeUnknown } from "../preview";

/** Nested settings blocks as the engine hands them over: plain JSON. */
type Block = Record<string, unknown> | undefined;
const listOf = (value: unknown): unknown[] =>
  Array.isArray(value) ? value : value === undefined ? [] : [value];

const encryptionAlgorithms = ["AES256", "aws:kms", "aws:kms:dsse"];

function judgeEncryptionRules(rules: unknown): Verdict {
  const algorithms = listOf(rules).map(
    (rule) => ((rule as Block)?.applyServerSideEncryptionByDefault as Block)?.sseAlgorithm,
  );
  if (algorithms.some((algorithm) => encryptionAlgorithms.includes(algorithm as string)))
    return satisfied;
  return violated(
    `its encryption configuration sets no default algorithm (one of ${encryptionAlgorithms.join(", ")})`,
  );
}

export const s3BucketEncrypted = bucketRule({
  name: "s3-bucket-encrypted",
  description:
    "S3 buckets set default server-side encryption (a BucketServerSideEncryptionConfiguration with AES256 or aws:kms).",
  companions: [BucketServerSideEncryptionConfiguration, BucketServerSideEncryptionConfigurationV2],
  judgeCompanion: (companion) => judgeEncryptionRules(companion.props.rules),
  judgeBucket: (bucket) =>
    judgeEncryptionRules((bucket.props.serverSideEncryptionConfiguration as Block)?.rule),
  whenMissing:
    "has no server-side encryption configuration (aws.s3.BucketServerSideEncryptionConfiguration)",
});

export const s3BucketVersioned = bucketRule({
  name: "s3-bucket-versioned",
  description: "S3 buckets keep object versions (a BucketVersioning with status Enabled).",
  companions: [BucketVersioning, BucketVersioningV2],
  judgeCompanion: (companion) => {
    const status = (companion.props.versioningConfiguration as Block)?.status;
    return status === "Enabled"
      ? satisfied
      : violated(`its versioning status is ${String(status)}, not Enabled`);
  },
  judgeBucket: (bucket) =>
    (bucket.props.versioning as Block)?.enabled === true
      ? satisfied
      : violated("its own versioning is not enabled"),
  whenMissing: "has no versioning configuration (aws.s3.BucketVersioning with status Enabled)",
});

const publicAccessSettings = [
  "blockPublicAcls",
  "blockPublicPolicy",
  "ignorePublicAcls",
  "restrictPublicBuckets",
];

export const s3BucketPublicAccessBlocked = bucketRule({
  name: "s3-bucket-public-access-blocked",
  description:
    "S3 buckets block public access (a BucketPublicAccessBlock with all four settings true).",
  companions: [BucketPublicAccessBlock],
  judgeCompanion: (companion) => {
    const off = publicAccessSettings.filter((setting) => companion.props[setting] !== true);
    return off.length === 0
      ? satisfied
      : violated(`its public access block leaves ${off.join(", ")} off`);
  },
  whenMissing:
    "has no public access block (aws.s3.BucketPublicAccessBlock with all four settings true)",
});

// A Deny for everyone, of all S3 actions, on requests that do not use TLS.
function deniesPlainHttp(statement: MaybeUnknown<PolicyStatement>): MaybeUnknown<boolean> {
  if (statement === unknownDuringPreview || statement.principal === unknownDuringPreview)
    return unknownDuringPreview;
  const principal = statement.principal;
  const everyone = principal === "*" || listOf((principal as Block)?.AWS).includes("*");
  const allS3Actions = statement.actions.some((action) => action === "*" || action === "s3:*");
  const secureTransport = listOf(statement.condition?.Bool?.["aws:SecureTransport"]);
  return (
    statement.effect === "Deny" &&
    everyone &&
    allS3Actions &&
    secureTransport.some((value) => value === false || value === "false")
  );
}

function judgeBucketPolicy(document: unknown): Verdict {
  if (document === undefined) return violated("it has no bucket policy");
  try {
    const denials = policyStatements(document).map(deniesPlainHttp);
    if (denials.includes(true)) return satisfied;
    if (denials.includes(unknownDuringPreview)) return pending;
    return violated(
      'its bucket policy does not deny plain HTTP (a Deny of "s3:*" for Principal "*" when Bool aws:SecureTransport is false)',
    );
  } catch (error) {
    if (error instanceof PolicyDocumentError) return violated(`its bucket policy ${error.message}`);
    throw error;
  }
}

export const s3BucketTlsOnly = bucketRule({
  name: "s3-bucket-tls-only",
  description:
    "S3 buckets refuse requests without TLS (a BucketPolicy that denies s3:* when aws:SecureTransport is false).",
  companions: [BucketPolicy],
  judgeCompanion: (companion) => judgeBucketPolicy(companion.props.policy),
  judgeBucket: (bucket) => judgeBucketPolicy(bucket.props.policy),
  whenMissing: "has no bucket policy (aws.s3.BucketPolicy) denying requests without TLS",
});
