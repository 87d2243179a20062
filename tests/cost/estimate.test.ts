import { strict as assert } from "node:assert";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { costTable, estimateIdleMonthlyCost } from "../../scripts/cost/estimate";
import { hoursPerMonth, prices } from "../../scripts/cost/prices";
import { planCommand } from "../../scripts/plan";
import { sharedRunProgram } from "../support/harness";

const rds = (inputs: Record<string, unknown>) => ({
  type: "aws:rds/instance:Instance",
  name: "db",
  inputs: { instanceClass: "db.t4g.micro", allocatedStorage: 20, multiAz: false, ...inputs },
});

describe("cost: the idle monthly estimate", () => {
  it("prices an RDS instance by class and storage, and Multi-AZ as two of each", () => {
    const single = estimateIdleMonthlyCost([rds({})]).totalMonthlyUsd;
    const multi = estimateIdleMonthlyCost([rds({ multiAz: true })]).totalMonthlyUsd;
    assert.equal(single, Math.round((0.016 * hoursPerMonth + 20 * 0.115) * 100) / 100);
    assert.equal(multi, Math.round(2 * single * 100) / 100);
  });

  it("prices an interface endpoint per AZ, a gateway endpoint not at all, and usage-priced resources at $0", () => {
    const estimate = estimateIdleMonthlyCost([
      {
        type: "aws:ec2/vpcEndpoint:VpcEndpoint",
        name: "secrets",
        inputs: { vpcEndpointType: "Interface", subnetIds: ["a", "b"] },
      },
      {
        type: "aws:ec2/vpcEndpoint:VpcEndpoint",
        name: "s3",
        inputs: { vpcEndpointType: "Gateway" },
      },
      { type: "aws:lambda/function:Function", name: "api", inputs: {} },
    ]);
    assert.deepEqual(
      estimate.lines.map((line) => [line.name, line.monthlyUsd]),
      [["secrets", 14.6]],
    );
    assert.equal(estimate.idleFreeCount, 2);
  });

  it("prices an Aurora Serverless v2 cluster paused at 0 ACUs at its storage alone, and a floor above 0 by the ACU-hour", () => {
    const cluster = (minCapacity: number) => ({
      type: "aws:rds/cluster:Cluster",
      name: "db",
      inputs: { serverlessv2ScalingConfiguration: { minCapacity, maxCapacity: 2 } },
    });
    const writer = {
      type: "aws:rds/clusterInstance:ClusterInstance",
      name: "db-writer",
      inputs: { instanceClass: "db.serverless" },
    };
    const paused = estimateIdleMonthlyCost([cluster(0), writer]);
    assert.deepEqual(
      paused.lines.map((l) => [l.name, l.monthlyUsd]),
      [["db", 0.1]],
    );
    assert.match(paused.lines[0].basis, /0 ACU minimum: paused while idle, no compute charge/);
    assert.deepEqual(paused.unpriced, []);
    assert.equal(
      estimateIdleMonthlyCost([cluster(1), writer]).totalMonthlyUsd,
      Math.round((0.12 * hoursPerMonth + 0.1) * 100) / 100,
    );
    // A provisioned Aurora instance class is not in the table: named, not priced at $0.
    assert.deepEqual(
      estimateIdleMonthlyCost([{ ...writer, inputs: { instanceClass: "db.r7g.large" } }]).unpriced,
      ["db-writer (aws:rds/clusterInstance:ClusterInstance)"],
    );
  });

  it("keeps dev's idle month at or under $10, with no interface endpoint and no customer-managed database key", async () => {
    const dev = JSON.parse(
      await planCommand(["dev", "--cost", "--json"], "", sharedRunProgram),
    ) as {
      totalMonthlyUsd: number;
      lines: Array<{ type: string; name: string }>;
    };
    assert.ok(dev.totalMonthlyUsd <= 10, `dev costs $${dev.totalMonthlyUsd} a month idle`);
    assert.deepEqual(
      dev.lines.filter(
        (l) => l.type === "aws:ec2/vpcEndpoint:VpcEndpoint" || l.name === "cupping-key",
      ),
      [],
    );
  });

  it("names a resource it has no price for instead of pricing it at $0", () => {
    const estimate = estimateIdleMonthlyCost([rds({ instanceClass: "db.r8g.48xlarge" })]);
    assert.deepEqual(estimate.unpriced, ["db (aws:rds/instance:Instance)"]);
    assert.match(
      costTable("test", estimate),
      /Not in the price table, left out of the total: db \(aws:rds\/instance:Instance\)/,
    );
  });

  it("takes another price table, so a change of price changes the total", () => {
    const dearer = { ...prices, secretMonth: { ...prices.secretMonth, usd: 1 } };
    const secret = [{ type: "aws:secretsmanager/secret:Secret", name: "s", inputs: {} }];
    assert.deepEqual(
      [
        estimateIdleMonthlyCost(secret).totalMonthlyUsd,
        estimateIdleMonthlyCost(secret, dearer).totalMonthlyUsd,
      ],
      [0.4, 1],
    );
  });

  it("gives every price a source and the date it was read", () => {
    const { rdsInstanceHour, ...others } = prices;
    const all = [...Object.values(rdsInstanceHour), ...Object.values(others)];
    for (const price of all) {
      assert.match(price.source, /^https:\/\/aws\.amazon\.com\//);
      assert.match(price.checked, /^\d{4}-\d\d-\d\d$/);
    }
  });

  for (const stack of ["dev", "production"]) {
    it(`README shows ${stack}'s cost table exactly as npm run plan -- ${stack} --cost prints it`, async () => {
      const readme = readFileSync(path.resolve(__dirname, "../../README.md"), "utf8");
      const shown = new RegExp(`<!-- cost:${stack} -->\\n([\\s\\S]*?)<!-- /cost:${stack} -->`).exec(
        readme,
      )?.[1];
      assert.equal(
        shown,
        await planCommand([stack, "--cost"], "", sharedRunProgram),
        `regenerate it with: npm run plan -- ${stack} --cost`,
      );
    });
  }
});
