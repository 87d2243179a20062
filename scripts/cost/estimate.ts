import {
  auroraIdleStorageGb,
  hoursPerMonth,
  prices as listPrices,
  type PriceTable,
} from "./prices";

/** A resource as the program declares it: what the mocks harness captures, or a preview's `newState`. */
export interface DeclaredResource {
  readonly type: string;
  readonly name: string;
  readonly inputs: Readonly<Record<string, unknown>>;
}

/** What one resource costs a month while the stack is idle, and how that was worked out. */
export interface CostLine {
  readonly type: string;
  readonly name: string;
  readonly monthlyUsd: number;
  /** The arithmetic, e.g. "db.t4g.micro, 1 × $0.016/h × 730 h". */
  readonly basis: string;
}

export interface CostEstimate {
  /** Resources that cost something idle, most expensive first. */
  readonly lines: readonly CostLine[];
  /** Their sum, rounded to cents. */
  readonly totalMonthlyUsd: number;
  /** How many resources cost nothing idle (usage-priced or free). */
  readonly idleFreeCount: number;
  /** Resources whose price is not in the table: the total leaves them out. */
  readonly unpriced: readonly string[];
}

const usd = (value: number) =>
  value < 1 ? `$${value.toFixed(3).replace(/0$/, "")}` : `$${value.toFixed(2)}`;
const cents = (value: number) => Math.round(value * 100) / 100;

type Pricer = (
  inputs: Readonly<Record<string, unknown>>,
  prices: PriceTable,
) => { monthlyUsd: number; basis: string } | "unpriced";

/** Idle monthly price per resource type; a type not listed costs nothing idle. */
const pricers: Readonly<Record<string, Pricer>> = {
  "aws:rds/instance:Instance": (inputs, prices) => {
    const instanceClass = String(inputs.instanceClass);
    const hourly = prices.rdsInstanceHour[instanceClass];
    if (!hourly) return "unpriced";
    const copies = inputs.multiAz ? 2 : 1;
    const storageGb = Number(inputs.allocatedStorage ?? 0);
    const compute = copies * hourly.usd * hoursPerMonth;
    const storage = copies * storageGb * prices.rdsGp3StorageGbMonth.usd;
    return {
      monthlyUsd: compute + storage,
      basis: `${instanceClass} ${copies === 2 ? "Multi-AZ" : "Single-AZ"}: ${copies} × ${usd(hourly.usd)}/h × ${hoursPerMonth} h + ${copies} × ${storageGb} GB × ${usd(prices.rdsGp3StorageGbMonth.usd)}/GB-month`,
    };
  },
  // The cluster carries the capacity range of its one Serverless v2 writer, so its line holds compute and storage.
  "aws:rds/cluster:Cluster": (inputs, prices) => {
    const scaling = inputs.serverlessv2ScalingConfiguration as { minCapacity?: number } | undefined;
    if (!scaling) return "unpriced";
    const minAcu = Number(scaling.minCapacity ?? 0);
    const acuHour = prices.auroraServerlessAcuHour.usd;
    const storage = auroraIdleStorageGb * prices.auroraStorageGbMonth.usd;
    const compute =
      minAcu === 0
        ? "0 ACU minimum: paused while idle, no compute charge"
        : `${minAcu} ACU minimum × ${usd(acuHour)}/ACU-hour × ${hoursPerMonth} h`;
    return {
      monthlyUsd: minAcu * acuHour * hoursPerMonth + storage,
      basis: `Aurora Serverless v2, ${compute} + ${auroraIdleStorageGb} GB × ${usd(prices.auroraStorageGbMonth.usd)}/GB-month; I/O ${usd(prices.auroraIoMillionRequests.usd)}/million requests, none idle`,
    };
  },
  "aws:rds/clusterInstance:ClusterInstance": (inputs) =>
    inputs.instanceClass === "db.serverless"
      ? { monthlyUsd: 0, basis: "capacity priced on its cluster" }
      : "unpriced",
  "aws:ec2/vpcEndpoint:VpcEndpoint": (inputs, prices) => {
    if (inputs.vpcEndpointType !== "Interface")
      return { monthlyUsd: 0, basis: "gateway endpoint: free" };
    const zones = Array.isArray(inputs.subnetIds) ? inputs.subnetIds.length : 1;
    return {
      monthlyUsd: zones * prices.interfaceEndpointAzHour.usd * hoursPerMonth,
      basis: `interface endpoint: ${zones} AZ × ${usd(prices.interfaceEndpointAzHour.usd)}/h × ${hoursPerMonth} h`,
    };
  },
  "aws:ec2/natGateway:NatGateway": (_inputs, prices) => ({
    monthlyUsd: prices.natGatewayHour.usd * hoursPerMonth,
    basis: `${usd(prices.natGatewayHour.usd)}/h × ${hoursPerMonth} h`,
  }),
  "aws:kms/key:Key": (_inputs, prices) => ({
    monthlyUsd: prices.kmsCustomerKeyMonth.usd,
    basis: `customer managed key: ${usd(prices.kmsCustomerKeyMonth.usd)}/month`,
  }),
  "aws:secretsmanager/secret:Secret": (_inputs, prices) => ({
    monthlyUsd: prices.secretMonth.usd,
    basis: `${usd(prices.secretMonth.usd)}/secret-month`,
  }),
  "aws:cloudwatch/metricAlarm:MetricAlarm": (_inputs, prices) => ({
    monthlyUsd: prices.alarmMonth.usd,
    basis: `${usd(prices.alarmMonth.usd)}/alarm-month`,
  }),
};

/**
 * The idle monthly cost of a program's resources: a pure function of what the program declares and a price table,
 * so a script can compare two commits' programs (run each under mocks, estimate both, subtract the totals).
 */
export function estimateIdleMonthlyCost(
  resources: readonly DeclaredResource[],
  prices: PriceTable = listPrices,
): CostEstimate {
  const lines: CostLine[] = [];
  const unpriced: string[] = [];
  let idleFreeCount = 0;
  for (const resource of resources) {
    const priced = pricers[resource.type]?.(resource.inputs, prices);
    if (priced === "unpriced") unpriced.push(`${resource.name} (${resource.type})`);
    else if (priced && priced.monthlyUsd > 0)
      lines.push({
        type: resource.type,
        name: resource.name,
        monthlyUsd: cents(priced.monthlyUsd),
        basis: priced.basis,
      });
    else if (!resource.type.startsWith("pulumi:")) idleFreeCount += 1;
  }
  lines.sort((a, b) => b.monthlyUsd - a.monthlyUsd || a.name.localeCompare(b.name));
  return {
    lines,
    totalMonthlyUsd: cents(lines.reduce((sum, line) => sum + line.monthlyUsd, 0)),
    idleFreeCount,
    unpriced,
  };
}

/** The estimate as a Markdown table, as `npm run plan -- <stack> --cost` prints it and the README shows it. */
export function costTable(stack: string, estimate: CostEstimate): string {
  const rows = estimate.lines.map(
    (line) =>
      `| ${line.name} | ${line.type.split(":")[1]} | ${line.basis} | $${line.monthlyUsd.toFixed(2)} |`,
  );
  return [
    `Idle monthly cost of ${stack} (US East list prices, scripts/cost/prices.ts):`,
    "",
    "| resource | type | basis | per month |",
    "|---|---|---|---|",
    ...rows,
    // No count here: the README shows this table, and adding a free resource should not change it.
    "| every other resource | | usage-priced or free: $0 while idle | $0.00 |",
    `| **total** | | | **$${estimate.totalMonthlyUsd.toFixed(2)}** |`,
    ...(estimate.unpriced.length > 0
      ? ["", `Not in the price table, left out of the total: ${estimate.unpriced.join(", ")}`]
      : []),
    "",
  ].join("\n");
}
