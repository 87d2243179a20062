import { policyTarget, runPolicies } from "../support/policy";
import { expectNoViolations, expectOnlyViolationsOf } from "./expect-violations";

const instanceType = "aws:rds/instance:Instance";

// An instance that meets every rule, on any stack.
const compliant = {
  engine: "postgres",
  instanceClass: "db.t4g.micro",
  storageEncrypted: true,
  publiclyAccessible: false,
  backupRetentionPeriod: 7,
  multiAz: true,
  deletionProtection: true,
  skipFinalSnapshot: false,
};

describe("policies: RDS instances", () => {
  for (const stack of ["dev", "production"]) {
    it(`accepts an encrypted, private, backed-up, multi-AZ, protected instance on ${stack}`, async () => {
      expectNoViolations(await runPolicies([policyTarget(instanceType, "db", compliant, stack)]));
    });
  }

  it("holds dev instances to neither Multi-AZ nor deletion protection", async () => {
    const devInstance = {
      ...compliant,
      multiAz: false,
      deletionProtection: false,
      skipFinalSnapshot: true,
    };
    expectNoViolations(await runPolicies([policyTarget(instanceType, "db", devInstance, "dev")]));
  });

  const cases: ReadonlyArray<{
    rule: string;
    what: string;
    stack: string;
    change: Record<string, unknown>;
    fragments: string[];
  }> = [
    {
      rule: "rds-storage-encrypted",
      what: "unencrypted storage",
      stack: "dev",
      change: { storageEncrypted: false },
      fragments: ["storage encryption"],
    },
    {
      rule: "rds-storage-encrypted",
      what: "storage encryption left unset",
      stack: "dev",
      change: { storageEncrypted: undefined },
      fragments: ["storage encryption"],
    },
    {
      rule: "rds-instance-public-access",
      what: "a publicly accessible instance",
      stack: "dev",
      change: { publiclyAccessible: true },
      fragments: ["publicly accessible"],
    },
    {
      rule: "rds-instance-backup-enabled",
      what: "backups turned off",
      stack: "dev",
      change: { backupRetentionPeriod: 0 },
      fragments: ["backups enabled"],
    },
    {
      rule: "rds-multi-az-on-production",
      what: "a single-AZ instance",
      stack: "production",
      change: { multiAz: false },
      fragments: ["multiple AZs"],
    },
    {
      rule: "rds-deletion-protection-on-production",
      what: "deletion protection off",
      stack: "production",
      change: { deletionProtection: false },
      fragments: ["deletionProtection: true"],
    },
    {
      rule: "rds-deletion-protection-on-production",
      what: "a skipped final snapshot",
      stack: "production",
      change: { skipFinalSnapshot: true },
      fragments: ["skipFinalSnapshot"],
    },
  ];
  for (const { rule, what, stack, change, fragments } of cases) {
    it(`${rule} catches ${what} on ${stack}`, async () => {
      const bad = policyTarget(instanceType, "db", { ...compliant, ...change }, stack);
      expectOnlyViolationsOf(await runPolicies([bad]), rule, bad.urn, ...fragments);
    });
  }

  it("treats the stacks named in productionStacks as production", async () => {
    const bad = policyTarget(instanceType, "db", { ...compliant, multiAz: false }, "prod-eu");
    const config = { "rds-multi-az-on-production": { productionStacks: ["prod-eu"] } };
    expectOnlyViolationsOf(
      await runPolicies([bad], { config }),
      "rds-multi-az-on-production",
      bad.urn,
      "multiple AZs",
    );
  });
});
