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

/**
 * The throwaway cluster of this test process (mocha, or one worker of a parallel run), started by the first suite that
 * asks for it.
 */
let testCluster: Promise<PostgresCluster> | undefined;
const testDatabases = new Map<string, Promise<PostgresEnvironment>>();

/**
 * This test process's cluster (with TLS when `openssl` is available), started on first use in the run's temporary
 * folder; mocha's global teardown stops it (`run-folder.ts`).
 */
export function testPostgresCluster(): Promise<PostgresCluster> {
  testCluster ??= hasOpenssl().then((tls) => startPostgresCluster({ tls }));
  return testCluster;
}

/** A database of this test process's cluster, created on first use; suites that share a name share the database. */
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

// Started as soon as a suite that uses it is loaded, so initdb runs on the other core beside the tests before it; a
// start that fails is reported by the suites that await it.
if (typeof describe === "function") testPostgresCluster().catch(() => undefined);
