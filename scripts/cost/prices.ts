/**
 * AWS list prices (US East, N. Virginia, on demand, USD) for what an idle stack pays by the hour or the month. Each
 * price names where it was read and when; check them again before relying on a total. Usage-priced services (Lambda,
 * API Gateway, CodeBuild, CodePipeline V2, logs, S3 at near-zero size) cost nothing idle and are not listed.
 */
export interface Price {
  readonly usd: number;
  readonly unit: string;
  /** Where the price was read. */
  readonly source: string;
  /** When it was read (YYYY-MM-DD). */
  readonly checked: string;
}

/** Hours in a month, as AWS's own calculator counts them. */
export const hoursPerMonth = 730;

const rdsPricing =
  "https://aws.amazon.com/rds/postgresql/pricing/ (us-east-1, single-AZ; Multi-AZ bills the standby too, https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_OnDemandDBInstances.html)";

const auroraPricing =
  "https://aws.amazon.com/rds/aurora/pricing/ (Aurora PostgreSQL-Compatible, Aurora Standard, us-east-1)";

/**
 * What an idle Aurora database is billed for storage: Aurora bills the GB its data takes, not an allocation, and a
 * small service's data is well under this (an assumption, not a price).
 */
export const auroraIdleStorageGb = 1;

/** The prices the estimate reads; another table (a region, a discount) can be passed instead. */
export interface PriceTable {
  readonly rdsInstanceHour: Readonly<Record<string, Price>>;
  readonly rdsGp3StorageGbMonth: Price;
  /** Aurora Serverless v2 capacity while running; a writer paused at 0 ACUs is not charged for it. */
  readonly auroraServerlessAcuHour: Price;
  readonly auroraStorageGbMonth: Price;
  /** Usage-priced: an idle database makes no I/O requests. */
  readonly auroraIoMillionRequests: Price;
  readonly interfaceEndpointAzHour: Price;
  readonly natGatewayHour: Price;
  readonly kmsCustomerKeyMonth: Price;
  readonly secretMonth: Price;
  readonly alarmMonth: Price;
}

export const prices: PriceTable = {
  rdsInstanceHour: {
    "db.t4g.micro": {
      usd: 0.016,
      unit: "instance-hour",
      source: rdsPricing,
      checked: "2026-12-01",
    },
    "db.t4g.small": {
      usd: 0.032,
      unit: "instance-hour",
      source: rdsPricing,
      checked: "2026-12-01",
    },
    "db.t4g.medium": {
      usd: 0.065,
      unit: "instance-hour",
      source: rdsPricing,
      checked: "2026-12-01",
    },
  },
  rdsGp3StorageGbMonth: { usd: 0.115, unit: "GB-month", source: rdsPricing, checked: "2026-12-01" },
  auroraServerlessAcuHour: {
    usd: 0.12,
    unit: "ACU-hour",
    source: `${auroraPricing}; paused instances are not charged for capacity, https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-serverless-v2-auto-pause.html`,
    checked: "2026-12-01",
  },
  auroraStorageGbMonth: {
    usd: 0.1,
    unit: "GB-month",
    source: auroraPricing,
    checked: "2026-12-01",
  },
  auroraIoMillionRequests: {
    usd: 0.2,
    unit: "1 million I/O requests",
    source: auroraPricing,
    checked: "2026-12-01",
  },
  interfaceEndpointAzHour: {
    usd: 0.01,
    unit: "endpoint-AZ-hour",
    source: "https://aws.amazon.com/privatelink/pricing/ (interface endpoint, billed per AZ)",
    checked: "2026-12-01",
  },
  natGatewayHour: {
    usd: 0.045,
    unit: "gateway-hour",
    source: "https://aws.amazon.com/vpc/pricing/ (NAT gateway)",
    checked: "2026-12-01",
  },
  kmsCustomerKeyMonth: {
    usd: 1,
    unit: "key-month",
    source:
      "https://aws.amazon.com/kms/pricing/ (customer managed key; each of the first two rotations adds $1/month)",
    checked: "2026-12-01",
  },
  secretMonth: {
    usd: 0.4,
    unit: "secret-month",
    source: "https://aws.amazon.com/secrets-manager/pricing/",
    checked: "2026-12-01",
  },
  alarmMonth: {
    usd: 0.1,
    unit: "standard-resolution alarm metric-month",
    source:
      "https://aws.amazon.com/cloudwatch/pricing/ (the account's first 10 are free; not counted here)",
    checked: "2026-12-01",
  },
};
