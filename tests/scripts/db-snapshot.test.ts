import { strict as assert } from "node:assert";
import { LambdaClient } from "@aws-sdk/client-lambda";
import { RDSClient } from "@aws-sdk/client-rds";
import { handler as migrateHandler } from "../../lambdas/cupping/migrate-handler";
import { applyMigrations, migrationIds, migrations } from "../../lambdas/cupping/migrations";
import { dbSnapshot, snapshotName } from "../../scripts/db-snapshot";
import { startLambdaServer, type LambdaServer } from "../support/lambda-server";
import { testPostgresCluster, type PostgresEnvironment } from "../support/postgres";
import { startRdsServer, type RdsServer } from "../support/rds-server";
import { replaceServiceEnvironment, withClient } from "../service/cupping-service";

const credentials = { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "example-secret" };
const client = <T>(make: new (config: object) => T, endpoint: string) =>
  new make({ region: "us-east-1", endpoint, credentials, maxAttempts: 1 });
// Ten milliseconds between polls (the waiter takes seconds), so the test waits for polls, not for the clock.
const quickly = { maxWaitTime: 30, minDelay: 0.01, maxDelay: 0.01 };

/** What the migrate function answers for `ids` on a real database: asked through its handler, as Lambda would. */
async function pendingOn(environment: PostgresEnvironment, ids: readonly string[]) {
  const restore = replaceServiceEnvironment(environment);
  try {
    return await migrateHandler({ action: "pendingMigrations", ids });
  } finally {
    restore();
  }
}

describe("the snapshot before pending migrations (scripts/db-snapshot.ts)", () => {
  let database: PostgresEnvironment;
  let rds: RdsServer;
  let lambda: LambdaServer;
  let pending: string[] = [];

  before(async () => {
    const cluster = await testPostgresCluster();
    await cluster.createDatabase("cupping_snapshots");
    database = cluster.environment("cupping_snapshots");
    rds = await startRdsServer();
    lambda = await startLambdaServer(() => pending);
  });
  after(async () => {
    await rds.close();
    await lambda.close();
  });

  const run = (engine: string, identifier: string) =>
    dbSnapshot(
      ["--engine", engine, "--identifier", identifier, "--function", "cupping-migrate"],
      { rds: client(RDSClient, rds.origin), lambda: client(LambdaClient, lambda.origin) },
      undefined,
      quickly,
    );

  it("finds every migration pending on a new database, some after the first applied, none after all", async () => {
    assert.deepEqual(await pendingOn(database, migrationIds), [...migrationIds]);
    await withClient(database, (c) => applyMigrations(c, migrations.slice(0, 1)));
    assert.deepEqual(await pendingOn(database, migrationIds), migrationIds.slice(1));
    await withClient(database, (c) => applyMigrations(c));
    assert.deepEqual(await pendingOn(database, migrationIds), []);
  });

  it("takes a DB snapshot named after the newest pending migration and waits until RDS says it is available", async () => {
    pending = await pendingOn(database, [...migrationIds, "0003-add-notes"]);
    assert.deepEqual(pending, ["0003-add-notes"]);
    const output = await run("postgres", "cupping-database-instance");
    assert.equal(
      output,
      "Snapshot cupping-database-instance-before-0003-add-notes of cupping-database-instance is available; pending migrations: 0003-add-notes\n",
    );
    assert.deepEqual(lambda.invocations.at(-1)?.payload, {
      action: "pendingMigrations",
      ids: [...migrationIds],
    });
    assert.deepEqual(
      rds.calls.map((c) => c.action),
      ["CreateDBSnapshot", "DescribeDBSnapshots", "DescribeDBSnapshots"],
    );
    assert.deepEqual(rds.snapshots.get("cupping-database-instance-before-0003-add-notes"), {
      kind: "instance",
      of: "cupping-database-instance",
      polls: 2,
    });
  });

  it("takes a cluster snapshot of an Aurora cluster, and waits for its own snapshot when a deploy runs again", async () => {
    pending = ["0003-add-notes", "0004-drop-notes"];
    rds.calls.length = 0;
    await run("aurora-serverless-v2", "cupping-database-cluster");
    const again = await run("aurora-serverless-v2", "cupping-database-cluster");
    assert.match(
      again,
      /^Snapshot cupping-database-cluster-before-0004-drop-notes .* is available/,
    );
    assert.deepEqual(
      rds.calls.map((c) => c.action),
      [
        "CreateDBClusterSnapshot",
        "DescribeDBClusterSnapshots",
        "DescribeDBClusterSnapshots",
        "CreateDBClusterSnapshot",
        "DescribeDBClusterSnapshots",
      ],
    );
    assert.equal(rds.snapshots.size, 2);
  });

  it("reads the target as the stack output gives it (--target JSON)", async () => {
    pending = ["0005-add-origin"];
    const output = await dbSnapshot(
      [
        "--target",
        JSON.stringify({
          engine: "postgres",
          identifier: "db-1",
          migrateFunction: "cupping-migrate",
        }),
      ],
      { rds: client(RDSClient, rds.origin), lambda: client(LambdaClient, lambda.origin) },
      undefined,
      quickly,
    );
    assert.match(output, /^Snapshot db-1-before-0005-add-origin of db-1 is available/);
    assert.equal(lambda.invocations.at(-1)?.functionName, "cupping-migrate");
  });

  it("takes no snapshot when no migration is pending", async () => {
    pending = await pendingOn(database, migrationIds);
    rds.calls.length = 0;
    assert.equal(
      await run("postgres", "cupping-database-instance"),
      "No pending migration: no snapshot.\n",
    );
    assert.deepEqual(rds.calls, []);
  });

  it("refuses an unknown engine, naming the allowed ones, before calling anything", async () => {
    const invoked = lambda.invocations.length;
    await assert.rejects(
      run("mysql", "db"),
      /^Error: --engine is "mysql" \(expected one of postgres, aurora-serverless-v2\)$/,
    );
    assert.equal(lambda.invocations.length, invoked);
  });

  it("names snapshots as RDS requires: a letter first, letters, digits and single hyphens", () => {
    assert.equal(snapshotName("cupping-db", "0003_add notes"), "cupping-db-before-0003-add-notes");
    assert.equal(snapshotName("9db", "0001"), "s9db-before-0001");
  });
});
