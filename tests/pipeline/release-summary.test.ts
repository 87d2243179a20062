import { strict as assert } from "node:assert";
import { differenceFromApproved } from "../../components/pipeline/release/approved-changes";
import {
  readPreviewDigest,
  typeOfUrn,
  type PolicyEvent,
} from "../../components/pipeline/release/preview-digest";
import { riskOf, statefulTypes, type Change } from "../../components/pipeline/release/risk";
import {
  renderSummaryHtml,
  renderSummaryText,
  summarise,
  summaryLine,
} from "../../components/pipeline/release/summary";
import { databaseReplacement, digest, functionUpdate, step, urnOf } from "./preview-fixtures";

const change = (kind: Change["kind"], type: string, name = "thing"): Change => ({
  urn: urnOf(type, name),
  type,
  kind,
  properties: [],
});
const policy = (enforcementLevel: PolicyEvent["enforcementLevel"]): PolicyEvent => ({
  resourceUrn: urnOf("aws:s3/bucket:Bucket", "artifacts"),
  message: "Buckets must block public access.",
  policyName: "s3-no-public-read",
  policyPackName: "pipelines",
  enforcementLevel,
});

describe("the release risk", () => {
  it("is danger when a stateful resource is replaced or deleted, whatever else changes", () => {
    for (const type of statefulTypes) {
      for (const kind of ["replace", "delete"] as const)
        assert.equal(
          riskOf([change("update", "aws:iam/role:Role"), change(kind, type)]).risk,
          "danger",
          `${kind} ${type}`,
        );
    }
  });

  it("is not danger when a stateful resource is only created or updated", () => {
    for (const type of statefulTypes)
      assert.equal(riskOf([change("create", type), change("update", type)]).risk, "none", type);
  });

  it("is review for any IAM change, any security group change, or a policy warning", () => {
    assert.equal(riskOf([change("create", "aws:iam/rolePolicy:RolePolicy")]).risk, "review");
    assert.equal(riskOf([change("delete", "aws:iam/role:Role")]).risk, "review");
    assert.equal(riskOf([change("update", "aws:ec2/securityGroup:SecurityGroup")]).risk, "review");
    assert.equal(
      riskOf([change("create", "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule")]).risk,
      "review",
    );
    assert.equal(
      riskOf([change("update", "aws:lambda/function:Function")], [policy("advisory")]).risk,
      "review",
    );
  });

  it("is danger when a mandatory policy fails, and ignores a disabled one", () => {
    assert.equal(riskOf([], [policy("mandatory")]).risk, "danger");
    assert.equal(riskOf([], [policy("disabled")]).risk, "none");
  });

  it("is none for anything else, and says why when it is not", () => {
    assert.deepEqual(
      riskOf([
        change("update", "aws:lambda/function:Function"),
        change("replace", "aws:apigatewayv2/stage:Stage"),
      ]),
      { risk: "none", reasons: [] },
    );
    const { reasons } = riskOf([
      change("update", "aws:iam/role:Role", "deploy-role"),
      change("replace", "aws:rds/instance:Instance", "db"),
    ]);
    assert.deepEqual(reasons, [
      "replace aws:rds/instance:Instance db: data it holds is lost",
      "update aws:iam/role:Role deploy-role: IAM change",
    ]);
  });
});

describe("the release summary of pulumi preview --json", () => {
  it("counts nothing and finds no risk when nothing changes", () => {
    const summary = summarise(digest([step("same", "aws:lambda/function:Function", "api")]));
    assert.deepEqual(
      [summary.counts, summary.risk, summary.changes],
      [{ create: 0, update: 0, replace: 0, delete: 0 }, "none", []],
    );
    assert.equal(
      summaryLine(summary),
      "RISK none: 0 to create, 0 to update, 0 to replace, 0 to delete.",
    );
  });

  it("counts a replacement once, whichever of its three steps the preview shows, and names what forces it", () => {
    const summary = summarise(digest(databaseReplacement()));
    assert.deepEqual(summary.counts, { create: 0, update: 0, replace: 1, delete: 0 });
    assert.equal(summary.risk, "danger");
    assert.deepEqual(summary.changes[0].properties, ["dbName"]);
    assert.match(
      summaryLine(summary),
      /^RISK danger: 0 to create, 0 to update, 1 to replace, 0 to delete\. replace aws:rds\/instance:Instance cupping-database-instance: data it holds is lost\.$/,
    );
  });

  it("counts creations, updates and deletions, taking the type from the state or the URN", () => {
    const deleted = step("delete", "aws:s3/bucket:Bucket", "old-reports");
    const summary = summarise(
      digest([
        step("create", "aws:sns/topic:Topic", "alerts"),
        functionUpdate(),
        deleted,
        { ...step("import", "aws:sqs/queue:Queue", "dlq"), newState: undefined },
      ]),
    );
    assert.deepEqual(summary.counts, { create: 2, update: 1, replace: 0, delete: 1 });
    assert.deepEqual(
      summary.changes.map((c) => c.type),
      [
        "aws:sns/topic:Topic",
        "aws:lambda/function:Function",
        "aws:s3/bucket:Bucket",
        "aws:sqs/queue:Queue",
      ],
    );
    assert.equal(summary.risk, "danger", "a bucket is deleted");
  });

  it("names changed properties but never shows a value, secret or not", () => {
    const summary = summarise(digest([functionUpdate()]));
    const rendered = [
      JSON.stringify(summary),
      renderSummaryText(summary),
      renderSummaryHtml(summary, "Release"),
      summaryLine(summary),
    ].join("\n");
    assert.match(
      renderSummaryText(summary),
      /update {2}urn:pulumi:production::pipelines::pulumi:pulumi:Stack\$aws:lambda\/function:Function::cupping-api-function \(code, environment\)/,
    );
    assert.ok(!rendered.includes("[secret]"), "no input values at all");
  });

  it("carries the preview's errors (a failed preview, a mandatory policy) and the policy results handed in", () => {
    const failed = digest(
      [],
      [
        { message: "error: preview failed: 1 mandatory policy violation", severity: "error" },
        { message: "a warning", severity: "warning" },
      ],
    );
    assert.deepEqual(summarise(failed).errors, [
      "error: preview failed: 1 mandatory policy violation",
    ]);
    const warned = summarise(digest([functionUpdate()]), [policy("advisory")]);
    assert.equal(warned.risk, "review");
    assert.deepEqual(warned.reasons, ["policy s3-no-public-read warns on artifacts"]);
  });

  it("keeps the one-line summary within the limit it is given", () => {
    const many = digest(
      Array.from({ length: 40 }, (_, i) =>
        step("update", "aws:iam/role:Role", `role-with-a-long-name-${i}`),
      ),
    );
    const line = summaryLine(summarise(many), 200);
    assert.equal(line.length, 200);
    assert.ok(line.endsWith("…"));
  });

  it("escapes resource names in the HTML rendering", () => {
    const html = renderSummaryHtml(
      summarise(digest([step("create", "aws:sns/topic:Topic", "<script>alert(1)</script>")])),
      "Release <b>",
    );
    assert.ok(!html.includes("<script>") && !html.includes("<b>"));
  });

  it("reads the digest's documented shape, and names what is not it", () => {
    assert.deepEqual(
      readPreviewDigest(JSON.stringify(digest([functionUpdate()]))).steps?.length,
      2,
    );
    assert.throws(
      () => readPreviewDigest("Previewing update (production)"),
      /is not JSON.*run pulumi preview with --json/,
    );
    assert.throws(
      () => readPreviewDigest(JSON.stringify({ steps: [{ urn: "urn:pulumi:x::y::t::n" }] })),
      /steps\.0\.op: every step needs its op/,
    );
    assert.throws(
      () => readPreviewDigest(JSON.stringify({ steps: [{ op: "create", urn: "arn:aws:s3:::b" }] })),
      /steps\.0\.urn: every step needs its resource URN/,
    );
  });

  it("takes a URN's type from the last segment of its type chain", () => {
    assert.equal(
      typeOfUrn(urnOf("aws:kms/key:Key", "k", ["pulumi:pulumi:Stack", "pipelines:cicd:Pipeline"])),
      "aws:kms/key:Key",
    );
  });
});

describe("the approved change set", () => {
  const approved = digest([functionUpdate(), step("create", "aws:sns/topic:Topic", "alerts")]);

  it("agrees with a preview of the same changes in another order, whatever the unchanged resources", () => {
    assert.deepEqual(
      differenceFromApproved(
        approved,
        digest([
          step("create", "aws:sns/topic:Topic", "alerts"),
          step("same", "aws:s3/bucket:Bucket", "b"),
          functionUpdate(),
        ]),
      ),
      { unapproved: [], missing: [] },
    );
  });

  it("finds a change nobody approved, and an approved change that is gone", () => {
    const now = digest([functionUpdate(), ...databaseReplacement()]);
    assert.deepEqual(differenceFromApproved(approved, now), {
      unapproved: [`replace ${urnOf("aws:rds/instance:Instance", "cupping-database-instance")}`],
      missing: [`create ${urnOf("aws:sns/topic:Topic", "alerts")}`],
    });
  });

  it("finds the same resource changed another way (an update become a replacement)", () => {
    const replaced = { ...functionUpdate(), op: "replace" };
    const { unapproved, missing } = differenceFromApproved(
      approved,
      digest([replaced, step("create", "aws:sns/topic:Topic", "alerts")]),
    );
    assert.deepEqual([unapproved.length, missing.length], [1, 1]);
  });
});
