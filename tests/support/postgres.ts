import { escapeIdentifier, Pool } from "pg";
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

const statementPools = new Map<string, Pool>();

/**
 * A pool of at most two connections per database and user, kept for the test process, for statements that need no
 * session of their own (a connection costs both processes about 20 ms of CPU, mostly the server's fork and the
 * SCRAM and TLS handshakes). Its idle connections end with the server (a test that restarts the cluster, or the run's
 * teardown); the pool drops them and connects afresh.
 */
export function statementPool(environment: PostgresEnvironment): Pool {
  const key = JSON.stringify(clientConfig(environment));
  let pool = statementPools.get(key);
  if (!pool) {
    pool = new Pool({ ...clientConfig(environment), max: 2, allowExitOnIdle: true });
    pool.on("error", () => undefined);
    statementPools.set(key, pool);
  }
  return pool;
}

/** Empties the named tables (and whatever references them) and restarts their id sequences. */
export async function clearTables(
  environment: PostgresEnvironment,
  tables: readonly string[],
): Promise<void> {
  await statementPool(environment).query(
    `TRUNCATE ${tables.map(escapeIdentifier).join(", ")} RESTART IDENTITY CASCADE`,
  );
}

// Started as soon as a suite that uses it is loaded, so the cluster starts on the other core beside the tests before
// it; a start that fails is reported by the suites that await it.
if (typeof describe === "function") testPostgresCluster().catch(() => undefined);
