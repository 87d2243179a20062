import { strict as assert } from "node:assert";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import type { CostEstimate } from "../../scripts/cost/estimate";
import { costFactsOf, costLine } from "../../scripts/github/comment-sections";
import { planCommand } from "../../scripts/plan";
import { sharedRunProgram } from "../support/harness";
import { projectRoot } from "../../tooling/mocks/stack-config";

/** The dev stack file on an RDS instance of the given class, as a pull request would change it. */
function devStackFileWith(instanceClass: string): string {
  const file = path.join(mkdtempSync(path.join(tmpdir(), "cost-delta-")), "Pulumi.dev.yaml");
  const text = readFileSync(path.join(projectRoot, "Pulumi.dev.yaml"), "utf8").replace(
    /pipelines:dbEngine: \S+/,
    `pipelines:dbEngine: postgres\n  pipelines:dbInstanceClass: ${instanceClass}`,
  );
  writeFileSync(file, text);
  return file;
}
const estimateOf = async (file: string) =>
  JSON.parse(
    await planCommand(["dev", "--cost", "--json", "--config-file", file], "", sharedRunProgram),
  ) as CostEstimate;

describe("the pull request's idle monthly cost delta", () => {
  it("is the difference of the estimator's totals on the base and the pull request's stack files (db.t4g.micro → db.t4g.small)", async () => {
    const base = await estimateOf(devStackFileWith("db.t4g.micro"));
    const head = await estimateOf(devStackFileWith("db.t4g.small"));
    const database = (e: CostEstimate) =>
      e.lines.find((l) => l.type === "aws:rds/instance:Instance")!;
    assert.match(database(base).basis, /^db\.t4g\.micro /);
    assert.match(database(head).basis, /^db\.t4g\.small /);
    const facts = costFactsOf(base, head);
    const delta = Math.round((database(head).monthlyUsd - database(base).monthlyUsd) * 100) / 100;
    assert.ok(delta > 0, "a larger instance costs more");
    assert.equal(
      Math.round((facts.headMonthlyUsd - facts.baseMonthlyUsd) * 100) / 100,
      delta,
      "only the instance changed",
    );
    assert.equal(
      costLine(facts),
      `**Idle monthly cost:** +$${delta.toFixed(2)} ($${base.totalMonthlyUsd.toFixed(2)} on the base branch → $${head.totalMonthlyUsd.toFixed(2)} with this pull request)`,
    );
    assert.match(costLine(costFactsOf(head, base)), /^\*\*Idle monthly cost:\*\* −\$/);
  });
});
