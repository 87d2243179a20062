import { strict as assert } from "node:assert";
import { costLine, factSections, type StackFacts } from "../../scripts/github/comment-sections";
import { renderPreviewComment } from "../../scripts/github/preview-comment-body";
import { readStackFacts } from "../../scripts/github/stack-facts-file";

const stateful = ["aws:rds/instance:Instance", "aws:s3/bucket:Bucket"];
const urn = (type: string, name: string) => `urn:pulumi:dev::pipelines::${type}::${name}`;
const facts: StackFacts = {
  plan: {
    counts: { create: 2, update: 1, replace: 1, delete: 1 },
    risk: "danger",
    changes: [
      {
        urn: urn("aws:rds/instance:Instance", "cupping-database"),
        type: "aws:rds/instance:Instance",
        kind: "replace",
      },
      {
        urn: urn("aws:s3/bucket:Bucket", "old-bucket"),
        type: "aws:s3/bucket:Bucket",
        kind: "delete",
      },
      {
        urn: urn("aws:lambda/function:Function", "cupping-api"),
        type: "aws:lambda/function:Function",
        kind: "replace",
      },
    ],
  },
  policies: [
    {
      policyPackName: "pipelines",
      policyName: "rds-encrypted",
      enforcementLevel: "mandatory",
      message: "storage must be encrypted\nmore",
      resourceUrn: urn("aws:rds/instance:Instance", "cupping-database"),
    },
  ],
  cost: { baseMonthlyUsd: 14.6, headMonthlyUsd: 29.2 },
  destructiveMigrations: [{ file: "0003-drop-notes.sql", reason: "DROP COLUMN sessions.notes" }],
  reviewUrl: "https://abc123.execute-api.us-east-1.amazonaws.com/",
};

describe("the stack comment's sections", () => {
  it("show counts and RISK, call out only the stateful replacements and deletions, then policies, cost, migrations and the review URL", () => {
    const [plan, policies, cost, migrations, review] = factSections(facts, stateful);
    assert.match(
      plan,
      /^\*\*Plan:\*\* 2 to create, 1 to update, 1 to replace, 1 to delete · \*\*RISK danger\*\*/,
    );
    assert.match(
      plan,
      /> - replace `aws:rds\/instance:Instance` `cupping-database`\n> - delete `aws:s3\/bucket:Bucket` `old-bucket`$/,
    );
    assert.ok(!plan.includes("cupping-api"), "a function replaced loses no data");
    assert.match(
      policies,
      /1 mandatory violation, 0 advisory\.\n- ❌ `pipelines\/rds-encrypted` on `cupping-database`: storage must be encrypted$/,
    );
    assert.equal(
      cost,
      "**Idle monthly cost:** +$14.60 ($14.60 on the base branch → $29.20 with this pull request)",
    );
    assert.match(migrations, /`0003-drop-notes\.sql`: DROP COLUMN sessions\.notes/);
    assert.equal(review, "**Review stack:** https://abc123.execute-api.us-east-1.amazonaws.com/");
  });

  it("sign the cost delta both ways, and leave out what no tool reported", () => {
    assert.match(
      costLine({ baseMonthlyUsd: 30, headMonthlyUsd: 12.5 }),
      /^\*\*Idle monthly cost:\*\* −\$17\.50/,
    );
    assert.match(costLine({ baseMonthlyUsd: 12.5, headMonthlyUsd: 12.5 }), /±\$0\.00/);
    assert.deepEqual(factSections({}, stateful), []);
    assert.deepEqual(factSections({ policies: [] }, stateful), [
      "**Policies:** every policy passed.",
    ]);
  });

  it("go into the comment above the output, with secrets scrubbed from both", () => {
    const body = renderPreviewComment({
      stack: "dev",
      output: "Resources:\n    + 2 to create\n token=ghp_abcdefghijklmnopqrstuvwxyz0123456789",
      status: "succeeded",
      facts: {
        ...facts,
        destructiveMigrations: [
          { file: "0004.sql", reason: "uses ghp_abcdefghijklmnopqrstuvwxyz0123456789" },
        ],
      },
      statefulTypes: stateful,
      scrub: (text) => text.replace(/ghp_[A-Za-z0-9]{36}/g, "[secret]"),
    });
    assert.ok(!body.includes("ghp_"), body);
    assert.ok(body.indexOf("**Plan:**") < body.indexOf("Resources:"));
    assert.ok(body.startsWith("<!-- pipelines-preview:dev -->\n"));
  });

  it("refuse a facts file that is not the documented shape, naming the field", () => {
    assert.deepEqual(readStackFacts(JSON.stringify(facts), "facts.json").cost, facts.cost);
    assert.throws(() => readStackFacts("{", "facts.json"), /facts\.json is not JSON/);
    assert.throws(
      () =>
        readStackFacts(
          JSON.stringify({ cost: { baseMonthlyUsd: -1, headMonthlyUsd: 2 } }),
          "facts.json",
        ),
      /cost\.baseMonthlyUsd: /,
    );
    assert.throws(
      () => readStackFacts(JSON.stringify({ plan: { ...facts.plan, risk: "meh" } }), "facts.json"),
      /plan\.risk: /,
    );
    assert.throws(
      () => readStackFacts(JSON.stringify({ reviewUrl: "javascript:alert(1)" }), "facts.json"),
      /reviewUrl: /,
    );
    assert.throws(
      () => readStackFacts(JSON.stringify({ costs: {} }), "facts.json"),
      /\(top level\): .*costs/,
    );
  });
});
