import * as path from "node:path";
import { closeDatabase, handler } from "../lambdas/cupping/handler";
import { readDatabaseSettings } from "../lambdas/cupping/database-settings";
import { migrateDatabase } from "../lambdas/cupping/migrations";
import { startHttpAdapter } from "../tooling/local/http-adapter";
import { startPostgresCluster, type PostgresEnvironment } from "../tooling/local/postgres-cluster";

/** The cupping API served over HTTP as API Gateway would call it, on a PostgreSQL of its own. */
export interface LocalService {
  /** http://127.0.0.1:<port> */
  readonly origin: string;
  /** Where its database is, for psql. */
  readonly database: PostgresEnvironment;
  /** Ends the HTTP server, the handler's pool and PostgreSQL; the data stays for the next run. */
  stop(): Promise<void>;
}

export interface LocalServiceOptions {
  /** PostgreSQL's data folder, kept between runs. */
  readonly dataDir: string;
  /** HTTP port (0: any free one). */
  readonly port: number;
  /** PostgreSQL's port; default any free one. */
  readonly postgresPort?: number;
  /** PostgreSQL writes its files through to disk, so a crash keeps the data. @default true */
  readonly durable?: boolean;
}

/** Starts PostgreSQL (initialising it on first use), migrates, and serves the Lambda handler on 127.0.0.1. */
export async function startLocalService(options: LocalServiceOptions): Promise<LocalService> {
  const cluster = await startPostgresCluster({
    dataDir: options.dataDir,
    port: options.postgresPort,
    durable: options.durable,
  });
  try {
    await cluster.createDatabase("cupping");
    const database = cluster.environment("cupping");
    // The handler reads its database from the environment, as in Lambda.
    Object.assign(process.env, database);
    await migrateDatabase(readDatabaseSettings(process.env));
    const server = await startHttpAdapter(handler, options.port);
    return {
      origin: server.origin,
      database,
      async stop() {
        await server.close();
        await closeDatabase();
        await cluster.stop();
      },
    };
  } catch (error) {
    await cluster.stop();
    throw error;
  }
}

/** A port from an environment variable: absent means `fallback`, anything but 0-65535 fails naming the variable. */
export function portFromEnvironment(
  name: string,
  value: string | undefined,
  fallback: number | undefined,
): number | undefined {
  if (value === undefined || value === "") return fallback;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(
      `${name}: "${value}" is not a port (an integer from 0 to 65535; 0 means any free one)`,
    );
  return port;
}

async function main(): Promise<void> {
  const env = process.env;
  // PostgreSQL takes any free port unless PGPORT names one, so a second checkout or a system PostgreSQL never clash.
  const postgresPort = portFromEnvironment("PGPORT", env.PGPORT, undefined);
  const dataDir = env.PGDATA
    ? path.resolve(env.PGDATA)
    : path.resolve(__dirname, "..", ".local", "postgres");
  const local = await startLocalService({
    dataDir,
    port: portFromEnvironment("PORT", env.PORT, 3000)!,
    postgresPort,
  });
  const port = new URL(local.origin).port;
  const { PGHOST, PGPORT, PGDATABASE, PGUSER, PGPASSWORD } = local.database;
  console.log(`The cupping API is at http://localhost:${port} (data in ${path.relative(process.cwd(), dataDir) || dataDir}). Try:

  curl -i -X POST localhost:${port}/session -H 'content-type: application/json' -d '{"name": "Morning table", "formName": "SCA", "cuppings": [{"name": "Kenya AA", "scores": {"Aroma": 8.5, "Flavor": 8.25}, "overallScore": 87.5}]}'
  curl -i localhost:${port}/session
  curl -i localhost:${port}/session/1
  curl -i -X DELETE localhost:${port}/session/1

The database: PGHOST=${PGHOST} PGPORT=${PGPORT} PGDATABASE=${PGDATABASE} PGUSER=${PGUSER} PGPASSWORD=${PGPASSWORD} psql
Ctrl-C (or SIGTERM) stops the API and PostgreSQL.`);
  const stop = () => {
    local.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(
      `npm run local failed: ${error instanceof Error ? error.message : String(error)}`,
    );
    process.exit(1);
  });
}
