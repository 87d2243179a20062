import {
  policyTarget,
  runPolicies,
  unknownDuringPreview,
  type PolicyTarget,
} from "../support/policy";
import { expectNoViolations, expectOnlyViolationsOf } from "./expect-violations";

type SettingKind = "versioning" | "encryption" | "publicAccessBlock" | "policy";

const settingTypes: Readonly<Record<SettingKind, string>> = {
  versioning: "aws:s3/bucketVersioning:BucketVersioning",
  encryption:
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
  publicAccessBlock: "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
  policy: "aws:s3/bucketPolicy:BucketPolicy",
};

const tlsOnlyPolicy = (bucketName: string) =>
  JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "DenyPlainHttp",
        Effect: "Deny",
        Principal: "*",
        Action: "s3:*",
        Resource: [`arn:aws:s3:::${bucketName}`, `arn:aws:s3:::${bucketName}/*`],
        Condition: { Bool: { "aws:SecureTransport": "false" } },
      },
    ],
  });

/** Settings that meet every rule, for the bucket the companions name by `ref`. */
const compliantSettings = (ref: string): Record<SettingKind, Record<string, unknown>> => ({
  versioning: { bucket: ref, versioningConfiguration: { status: "Enabled" } },
  encryption: {
    bucket: ref,
    rules: [
      {
        applyServerSideEncryptionByDefault: {
          sseAlgorithm: "aws:kms",
          kmsMasterKeyId: "arn:aws:kms:us-east-1:123456789012:key/k",
        },
        bucketKeyEnabled: true,
      },
    ],
  },
  publicAccessBlock: {
    bucket: ref,
    blockPublicAcls: true,
    blockPublicPolicy: true,
    ignorePublicAcls: true,
    restrictPublicBuckets: true,
  },
  policy: { bucket: ref, policy: tlsOnlyPolicy(ref) },
});

/**
 * A bucket and its settings resources, named `<name>-<kind>`. `bucketName` sets the bucket's physical name (else the
 * companions name it as the mocks harness would: by its resource name); `settings` replaces or drops (undefined) some.
 */
function bucketStack(
  name: string,
  options: {
    bucketName?: string;
    settings?: Partial<Record<SettingKind, Record<string, unknown> | undefined>>;
  } = {},
) {
  const ref = options.bucketName ?? name;
  const bucket = policyTarget(
    "aws:s3/bucket:Bucket",
    name,
    options.bucketName ? { bucket: options.bucketName } : {},
  );
  const settings = { ...compliantSettings(ref), ...options.settings };
  const companions = (Object.keys(settingTypes) as SettingKind[]).flatMap((kind) => {
    const props = settings[kind];
    return props ? [policyTarget(settingTypes[kind], `${name}-${kind}`, props)] : [];
  });
  return { bucket, resources: [bucket, ...companions] as PolicyTarget[] };
}

describe("policies: S3 buckets", () => {
  it("accepts a bucket with encryption, versioning, a public access block and a TLS-only policy", async () => {
    expectNoViolations(await runPolicies(bucketStack("artifacts").resources));
  });

  it("matches settings to a bucket by its physical name", async () => {
    expectNoViolations(
      await runPolicies(
        bucketStack("artifacts", { bucketName: "cupping-artifacts-dev" }).resources,
      ),
    );
  });

  it("accepts the deprecated V2 settings resources and boolean aws:SecureTransport", async () => {
    const { resources } = bucketStack("artifacts");
    const renamed = resources.map((resource) =>
      resource.type === settingTypes.versioning
        ? { ...resource, type: "aws:s3/bucketVersioningV2:BucketVersioningV2" }
        : resource,
    );
    const policy = JSON.parse(tlsOnlyPolicy("artifacts"));
    policy.Statement[0].Condition.Bool["aws:SecureTransport"] = false;
    const withObjectPolicy = renamed.map((resource) =>
      resource.type === settingTypes.policy
        ? { ...resource, props: { bucket: "artifacts", policy } }
        : resource,
    );
    expectNoViolations(await runPolicies(withObjectPolicy));
  });

  it("accepts versioning set on the bucket itself", async () => {
    const { bucket, resources } = bucketStack("artifacts", { settings: { versioning: undefined } });
    const inline = resources.map((resource) =>
      resource === bucket ? { ...bucket, props: { versioning: { enabled: true } } } : resource,
    );
    expectNoViolations(await runPolicies(inline));
  });

  const cases: ReadonlyArray<{
    rule: string;
    what: string;
    settings: Partial<Record<SettingKind, Record<string, unknown> | undefined>>;
    fragment: string;
  }> = [
    {
      rule: "s3-bucket-encrypted",
      what: "a bucket without an encryption configuration",
      settings: { encryption: undefined },
      fragment: "no server-side encryption configuration",
    },
    {
      rule: "s3-bucket-encrypted",
      what: "an encryption configuration without a default algorithm",
      settings: { encryption: { bucket: "artifacts", rules: [{ bucketKeyEnabled: true }] } },
      fragment: "sets no default algorithm",
    },
    {
      rule: "s3-bucket-versioned",
      what: "a bucket without versioning",
      settings: { versioning: undefined },
      fragment: "no versioning configuration",
    },
    {
      rule: "s3-bucket-versioned",
      what: "suspended versioning",
      settings: {
        versioning: { bucket: "artifacts", versioningConfiguration: { status: "Suspended" } },
      },
      fragment: "Suspended, not Enabled",
    },
    {
      rule: "s3-bucket-public-access-blocked",
      what: "a bucket without a public access block",
      settings: { publicAccessBlock: undefined },
      fragment: "no public access block",
    },
    {
      rule: "s3-bucket-public-access-blocked",
      what: "a public access block with ignorePublicAcls off",
      settings: {
        publicAccessBlock: {
          bucket: "artifacts",
          blockPublicAcls: true,
          blockPublicPolicy: true,
          ignorePublicAcls: false,
          restrictPublicBuckets: true,
        },
      },
      fragment: "leaves ignorePublicAcls off",
    },
    {
      rule: "s3-bucket-tls-only",
      what: "a bucket without a bucket policy",
      settings: { policy: undefined },
      fragment: "no bucket policy",
    },
    {
      rule: "s3-bucket-tls-only",
      what: "a bucket policy that does not deny plain HTTP",
      settings: {
        policy: {
          bucket: "artifacts",
          policy: JSON.stringify({
            Statement: {
              Effect: "Allow",
              Principal: { AWS: "arn:aws:iam::123456789012:root" },
              Action: "s3:GetObject",
              Resource: "arn:aws:s3:::artifacts/*",
            },
          }),
        },
      },
      fragment: "does not deny plain HTTP",
    },
    {
      rule: "s3-bucket-tls-only",
      what: "a bucket policy that is not JSON",
      settings: { policy: { bucket: "artifacts", policy: "{not json" } },
      fragment: "is not valid JSON",
    },
  ];
  for (const { rule, what, settings, fragment } of cases) {
    it(`${rule} catches ${what}`, async () => {
      const { bucket, resources } = bucketStack("artifacts", { settings });
      expectOnlyViolationsOf(await runPolicies(resources), rule, bucket.urn, fragment);
    });
  }

  it("does not count another bucket's settings", async () => {
    const logs = bucketStack("logs", { settings: { versioning: undefined } });
    const { resources } = bucketStack("artifacts");
    expectOnlyViolationsOf(
      await runPolicies([...resources, ...logs.resources]),
      "s3-bucket-versioned",
      logs.bucket.urn,
      "S3 bucket logs",
      "no versioning configuration",
    );
  });

  it("reports no violation while a settings resource's bucket is unknown during preview", async () => {
    const { resources } = bucketStack("artifacts", {
      settings: {
        versioning: {
          bucket: unknownDuringPreview,
          versioningConfiguration: { status: "Enabled" },
        },
      },
    });
    const report = await runPolicies(resources);
    expectNoViolations(report);
    if (report.notRunDuringPreview.length > 0)
      throw new Error(
        `rules gave up during preview: ${JSON.stringify(report.notRunDuringPreview)}`,
      );
  });

  it("matches a settings resource whose bucket is unknown during preview through its property dependencies", async () => {
    const logs = bucketStack("logs");
    const logsVersioning = logs.resources.find(
      (resource) => resource.type === settingTypes.versioning,
    )!;
    const pendingVersioning = {
      ...logsVersioning,
      props: { ...logsVersioning.props, bucket: unknownDuringPreview },
      propertyDependencies: { bucket: [logs.bucket.urn] },
    };
    const artifacts = bucketStack("artifacts", { settings: { versioning: undefined } });
    const resources = [
      ...artifacts.resources,
      ...logs.resources.map((resource) =>
        resource === logsVersioning ? pendingVersioning : resource,
      ),
    ];
    expectOnlyViolationsOf(
      await runPolicies(resources),
      "s3-bucket-versioned",
      artifacts.bucket.urn,
      "no versioning configuration",
    );
  });

  it("reports no violation while a bucket policy's text is unknown during preview", async () => {
    const { resources } = bucketStack("artifacts", {
      settings: { policy: { bucket: "artifacts", policy: unknownDuringPreview } },
    });
    expectNoViolations(await runPolicies(resources));
  });
});
