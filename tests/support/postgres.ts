import { Client } from "pg";
import {
  clientConfig,
  hasOpenssl,
  startPostgresCluster,
  type PostgresCluster,
  type PostgresEnvironment,
} from "../../tooling/local/postgres-cluster";

export {
  clientConfig,
  type PostgresCluster,
  type PostgresEnvironment,
} from "../../tooling/local/postgres-cluster";

/** The throwaway cluster of this test run, started by the first suite that asks for it. */
let testCluster: Promise<PostgresCluster> | undefined;
const testDatabases = new Map<string, Promise<PostgresEnvironment>>();

/** The test run's cluster (with TLS when `openssl` is available), started on first use and stopped when mocha ends. */
export function testPostgresCluster(): Promise<PostgresCluster> {
  testCluster ??= hasOpenssl().then((tls) => startPostgresCluster({ tls }));
  return testCluster;
}

/** A database of the test run's cluster, created on first use; suites that share a name share the database. */
export function testDatabase(name: string): Promise<PostgresEnvironment> {
  let database = testDatabases.get(name);
  if (!database) {
    database = testPostgresCluster().then(async (cluster) => {
      await cluster.createDatabase(name);
      return cluster.environment(name);
    });
    testDatabases.set(name, database);
  }
  return database;
}

/** Empties the named tables (and whatever references them) and restarts their id sequences. */
export async function clearTables(
  environment: PostgresEnvironment,
  tables: readonly string[],
): Promise<void> {
  const client = new Client(clientConfig(environment));
  await client.connect();
  try {
    await client.query(
      `TRUNCATE ${tables.map((table) => client.escapeIdentifier(table)).join(", ")} RESTART IDENTITY CASCADE`,
    );
  } finally {
    await client.end();
  }
}

// A root-level hook (registered while mocha loads the spec files): the cluster outlives every suite and stops with the run.
if (typeof after === "function") {
  // Started as soon as a suite that uses it is loaded, so initdb runs on the other core beside the tests before it;
  // a start that fails is reported by the suites that await it.
  testPostgresCluster().catch(() => undefined);
  after(async () => {
    // A cluster that failed to start has nothing to stop; the suites that asked for it already failed with why.
    const cluster = await testCluster?.catch(() => undefined);
    await cluster?.dispose();
  });
}
