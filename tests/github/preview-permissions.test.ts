import { strict as assert } from "node:assert";
import {
  previewRolePolicy,
  s3StateLocation,
  type PreviewPermissions,
} from "../../components/github/preview-permissions";
import { mayActOnAnyResource } from "../../policies/actions-on-any-resource";

const base: PreviewPermissions = {
  partition: "aws",
  logGroupArn: "arn:aws:logs:eu-west-1:123456789012:log-group:previews",
  secretArns: [
    "arn:aws:secretsmanager:eu-west-1:123456789012:secret:github-token",
    "arn:aws:secretsmanager:eu-west-1:123456789012:secret:passphrase",
  ],
};
const statements = (p: PreviewPermissions) =>
  previewRolePolicy(p).Statement as unknown as Array<{
    Sid: string;
    Action: string[];
    Resource: string | string[];
    Condition?: unknown;
  }>;
const actions = (p: PreviewPermissions) => statements(p).flatMap((s) => s.Action);

describe("the preview role's permissions", () => {
  it("read the stack's state in S3 under the backend's folder, and nothing of Pulumi Cloud stacks", () => {
    assert.deepEqual(s3StateLocation("s3://acme-state/pipelines/?region=eu-west-1"), {
      bucket: "acme-state",
      prefix: "pipelines",
    });
    assert.deepEqual(s3StateLocation("s3://acme-state"), { bucket: "acme-state", prefix: "" });
    assert.equal(s3StateLocation(undefined), undefined);
    assert.equal(s3StateLocation("azblob://container"), undefined);

    const withState = statements({ ...base, state: { bucket: "acme-state", prefix: "pipelines" } });
    assert.deepEqual(withState.find((s) => s.Sid === "ReadState")?.Resource, [
      "arn:aws:s3:::acme-state/pipelines/.pulumi/*",
    ]);
    assert.deepEqual(withState.find((s) => s.Sid === "ListState")?.Resource, [
      "arn:aws:s3:::acme-state",
    ]);
    assert.ok(!actions(base).some((action) => action.startsWith("s3:")));
  });

  it("write nothing but the project's own logs: a preview changes no resource", () => {
    const writes = actions({ ...base, state: { bucket: "acme-state", prefix: "" } }).filter(
      (action) => !/^[a-z0-9]+:(?:Get|List|Describe)/.test(action),
    );
    assert.deepEqual(writes.sort(), ["logs:CreateLogStream", "logs:PutLogEvents"]);
    assert.equal(
      statements(base).find((s) => s.Sid === "WriteOwnLogs")?.Resource,
      `${base.logGroupArn}:*`,
    );
  });

  it("read only the project's own secrets", () => {
    assert.deepEqual(
      statements(base).find((s) => s.Sid === "ReadOwnSecrets")?.Resource,
      base.secretArns,
    );
    assert.ok(!actions(base).some((action) => action.startsWith("kms:")));
  });

  it("grant on every resource only actions that have no resource type", () => {
    const onAnyResource = statements(base)
      .filter((s) => s.Resource === "*")
      .flatMap((s) => s.Action);
    assert.ok(onAnyResource.includes("sts:GetCallerIdentity"));
    assert.deepEqual(
      onAnyResource.filter((action) => !mayActOnAnyResource(action)),
      [],
    );
  });
});
