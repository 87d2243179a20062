import { Client, Pool, type ClientConfig, type QueryResultRow } from "pg";
import { readDatabaseSecret, type DatabaseSecret } from "./database-secret";
import type { DatabaseSettings } from "./database-settings";
import {
  cachedAuthToken,
  credentialsFromEnvironment,
  signAuthToken,
  type AwsCredentials,
} from "./iam-token";

/** A SQL statement with a name, so each connection prepares it once and reuses the plan. */
export interface Statement {
  readonly name: string;
  readonly text: string;
}

/** The database as the repository uses it: named statements over a pool that outlives one request. */
export interface Database {
  query<Row extends QueryResultRow>(
    statement: Statement,
    values: readonly unknown[],
  ): Promise<Row[]>;
  close(): Promise<void>;
}

/** The database cannot be reached or refuses connections for now; the request may succeed when retried. */
export class DatabaseUnavailable extends Error {}

export interface DatabaseOptions {
  /** Told when an idle connection fails (the server stopped or restarted); the pool has already dropped it. */
  readonly onIdleConnectionError: (failure: {
    readonly message: string;
    readonly code?: string;
  }) => void;
  /** How the secret is read when DB_SECRET_ARN names one. */
  readonly readSecret?: (secretArn: string) => Promise<DatabaseSecret>;
  /** The credentials IAM tokens are signed with when DB_IAM_SIGN_IN is on; default: the function role's, from the environment. */
  readonly awsCredentials?: () => AwsCredentials;
  /** The time IAM tokens are signed at; default: now. */
  readonly clock?: () => Date;
}

/** Opens the pool (reading the secret, if any, once); no connection is made until the first query. */
export async function openDatabase(
  settings: DatabaseSettings,
  options: DatabaseOptions,
): Promise<Database> {
  const credentials = await credentialsFor(
    settings,
    options.readSecret ?? readDatabaseSecret,
    options.awsCredentials,
    options.clock,
  );
  const pool = new Pool({
    ...connectionConfig(settings, credentials),
    max: settings.poolSize,
  });
  // Without a listener, an idle connection ending (server restart, failover) would crash the process.
  // Only message and code are passed on: pg attaches the whole client (and its statements) to the error.
  pool.on("error", (error) =>
    options.onIdleConnectionError({
      message: error.message,
      code: (error as { code?: string }).code,
    }),
  );
  const run = async <Row extends QueryResultRow>(
    statement: Statement,
    values: readonly unknown[],
  ) =>
    (await pool.query<Row>({ name: statement.name, text: statement.text, values: [...values] }))
      .rows;
  return {
    async query<Row extends QueryResultRow>(statement: Statement, values: readonly unknown[]) {
      try {
        return await run<Row>(statement, values).catch((error: unknown) => {
          // The password was rotated since it was read: read it again and retry once (the statement never ran).
          if (isRefusedPassword(error) && credentials.forget()) return run<Row>(statement, values);
          throw error;
        });
      } catch (error) {
        throw classified(error);
      }
    },
    async close() {
      // pool.end() resolves once clients are told to end; waiting for each "remove" means their connections are closed.
      let open = pool.totalCount;
      const closed = new Promise<void>((resolve) => {
        if (open === 0) resolve();
        pool.on("remove", () => {
          open -= 1;
          if (open === 0) resolve();
        });
      });
      await pool.end();
      await closed;
    },
  };
}

/** Connects one client, for work that needs a session of its own (migrations hold a lock for their whole run). */
export async function connectClient(settings: DatabaseSettings): Promise<Client> {
  const credentials = await credentialsFor(settings, readDatabaseSecret);
  const client = new Client(connectionConfig(settings, credentials));
  try {
    await client.connect();
  } catch (error) {
    throw classified(error);
  }
  return client;
}

/** The user, and the password as pg takes it: text, or a function it calls for each new connection. */
interface Credentials {
  readonly user?: string;
  readonly password?: string | (() => Promise<string>);
  /** Drops a kept secret after the server refused it, so the next connection reads the rotated one; false when nothing is kept to drop. */
  forget(): boolean;
}

async function credentialsFor(
  settings: DatabaseSettings,
  readSecret: (secretArn: string) => Promise<DatabaseSecret>,
  awsCredentials: () => AwsCredentials = () => credentialsFromEnvironment(process.env),
  clock?: () => Date,
): Promise<Credentials> {
  const source = settings.password;
  if (source.from === "environment")
    return { user: settings.user, password: source.password, forget: () => false };
  if (source.from === "iam-token") {
    const target = {
      hostname: settings.host,
      port: settings.port,
      region: source.region,
      username: settings.user ?? "",
    };
    // Signed locally and kept for ten minutes: new connections reuse it, and no request waits on a signature.
    return {
      user: settings.user,
      password: cachedAuthToken((now) => signAuthToken(target, awsCredentials(), now), clock),
      forget: () => false,
    };
  }
  // Read once per cold start and kept; a failed read is not kept, so the next attempt reads again.
  let kept: Promise<DatabaseSecret> | undefined;
  const secret = () =>
    (kept ??= readSecret(source.secretArn).catch((error: unknown) => {
      kept = undefined;
      throw error;
    }));
  const { username } = await secret();
  const forget = () => {
    kept = undefined;
    return true;
  };
  return {
    user: username ?? settings.user,
    password: async () => (await secret()).password,
    forget,
  };
}

function connectionConfig(settings: DatabaseSettings, credentials: Credentials): ClientConfig {
  return {
    host: settings.host,
    port: settings.port,
    database: settings.database,
    user: credentials.user,
    password: credentials.password,
    ssl: settings.ssl,
    keepAlive: true,
    application_name: "cupping",
    connectionTimeoutMillis: settings.timeouts.connectMs,
    query_timeout: settings.timeouts.queryMs,
    statement_timeout: settings.timeouts.statementMs,
  };
}

/** Client library codes for a server that cannot be reached. */
const networkFailures = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EPIPE",
]);
/** SQLSTATEs for a server that is stopping, starting, full, has just rotated its password, or cancelled a statement that ran out of time. */
const unavailableStates = new Set(["57P01", "57P02", "57P03", "53300", "28P01", "57014"]);
/** SQLSTATE invalid_password. */
const isRefusedPassword = (error: unknown) => (error as { code?: unknown }).code === "28P01";
/** pg's own messages for a connection that ended, never came, or a query the server did not answer in time. */
const droppedConnection =
  /Connection terminated|timeout exceeded when trying to connect|not queryable|Query read timeout/i;

/** True for failures that say the database is out of reach rather than that the request or the code is wrong. */
export function isDatabaseUnreachable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  // Node reports a refused connection to every address of a host name as one AggregateError.
  if (error instanceof AggregateError && error.errors.some(isDatabaseUnreachable)) return true;
  const code = (error as { code?: unknown }).code;
  if (
    typeof code === "string" &&
    (networkFailures.has(code) || unavailableStates.has(code) || code.startsWith("08"))
  )
    return true;
  return droppedConnection.test(error.message);
}

function classified(error: unknown): unknown {
  return isDatabaseUnreachable(error)
    ? new DatabaseUnavailable("The database is unavailable", { cause: error })
    : error;
}
