import { readFileSync } from "node:fs";
import type { Client, ClientBase } from "pg";
import {
  dropDatabaseAndRole,
  ensureApplicationRole,
  ensureDatabase,
  ensureDatabaseOwner,
  type ApplicationRole,
} from "./application-role";
import { connectClient } from "./database";
import type { DatabaseSettings } from "./database-settings";

/** One schema change: its SQL runs once, in one transaction, recorded under its id. */
export interface Migration {
  readonly id: string;
  readonly sql: string;
}

// The bundler inlines the .sql files (esbuild's text loader); run from source, Node reads them with this loader.
require.extensions[".sql"] ??= (module, filename) => {
  module.exports = readFileSync(filename, "utf8");
};

/** The migrations in the order they apply: migrations/<id>.sql. A new file is added at the end of this list. */
export const migrationIds = ["0001-create-sessions", "0002-create-cuppings"] as const;

export const migrations: readonly Migration[] = migrationIds.map((id) => ({
  id,
  sql: require(`./migrations/${id}.sql`) as string,
}));

/** Where applied migrations are recorded. */
export const migrationsTable = "schema_migrations";

// Any constant works; all migrators of this service take the same lock, so concurrent deploys apply each migration once.
const migrationLock = 727_001;

/** Applies the migrations not yet recorded, in order; returns their ids (none on a second run). Throws on the first failure. */
export async function applyMigrations(
  client: ClientBase,
  pending: readonly Migration[] = migrations,
): Promise<string[]> {
  await client.query("SELECT pg_advisory_lock($1)", [migrationLock]);
  try {
    await client.query(
      `CREATE TABLE IF NOT EXISTS ${migrationsTable} (id text PRIMARY KEY, applied timestamptz NOT NULL DEFAULT now())`,
    );
    const recorded = new Set(
      (await client.query<{ id: string }>(`SELECT id FROM ${migrationsTable}`)).rows.map(
        (row) => row.id,
      ),
    );
    const applied: string[] = [];
    for (const migration of pending.filter((candidate) => !recorded.has(candidate.id))) {
      try {
        await client.query("BEGIN");
        await client.query(migration.sql);
        await client.query(`INSERT INTO ${migrationsTable} (id) VALUES ($1)`, [migration.id]);
        await client.query("COMMIT");
      } catch (error) {
        await client.query("ROLLBACK").catch(() => undefined);
        throw new Error(
          `Migration ${migration.id} failed, and was rolled back: ${(error as Error).message}`,
          { cause: error },
        );
      }
      applied.push(migration.id);
    }
    return applied;
  } finally {
    await client.query("SELECT pg_advisory_unlock($1)", [migrationLock]).catch(() => undefined);
  }
}

/** Which of these migration ids the database has not recorded yet, in the order given (all of them on a new database). */
export async function pendingMigrationIds(
  client: ClientBase,
  ids: readonly string[],
): Promise<string[]> {
  const table = await client.query("SELECT to_regclass($1) AS name", [migrationsTable]);
  if (table.rows[0]?.name === null) return [...ids];
  const recorded = new Set(
    (await client.query<{ id: string }>(`SELECT id FROM ${migrationsTable}`)).rows.map(
      (row) => row.id,
    ),
  );
  return ids.filter((id) => !recorded.has(id));
}

/** What else a migration run sets up. */
export interface MigrateOptions {
  /** The role the API connects as, created or brought to exactly its rights after the migrations. @default none */
  readonly applicationRole?: Omit<ApplicationRole, "database">;
}

/** Connects with the service's settings (and secret), applies the pending migrations (and the role), and disconnects. */
export async function migrateDatabase(
  settings: DatabaseSettings,
  options: MigrateOptions = {},
): Promise<string[]> {
  return withClient(settings, async (client) => {
    const applied = await applyMigrations(client);
    if (options.applicationRole)
      await ensureApplicationRole(client, {
        ...options.applicationRole,
        database: settings.database,
      });
    return applied;
  });
}

/**
 * Creates a review stack's logical database when missing and makes its role (created when missing) its owner; the
 * review stack's own migrate function then migrates it as that role, with the pull request's migrations.
 */
export async function prepareReviewDatabase(
  settings: DatabaseSettings,
  target: Omit<ApplicationRole, "password">,
): Promise<void> {
  if (target.database === settings.database)
    throw new Error(
      `database is "${target.database}", the service's own database (PGDATABASE), which is never given to a review stack`,
    );
  await withClient(settings, async (client) => {
    await ensureDatabase(client, target.database);
    await ensureDatabaseOwner(client, target);
  });
}

/** Drops another logical database and its role (review stacks, when their pull request closes); never the one PGDATABASE names. */
export async function dropDatabase(
  settings: DatabaseSettings,
  target: { readonly database: string; readonly role: string },
): Promise<void> {
  if (target.database === settings.database)
    throw new Error(
      `database is "${target.database}", the service's own database (PGDATABASE), which is never dropped`,
    );
  await withClient(settings, (client) => dropDatabaseAndRole(client, target));
}

/** Connects with the service's settings and answers which of `ids` are pending (see pendingMigrationIds). */
export function pendingMigrations(
  settings: DatabaseSettings,
  ids: readonly string[],
): Promise<string[]> {
  return withClient(settings, (client) => pendingMigrationIds(client, ids));
}

async function withClient<T>(
  settings: DatabaseSettings,
  work: (client: Client) => Promise<T>,
): Promise<T> {
  const client = await connectClient(settings);
  // A connection that fails mid-run rejects the running query; this only keeps the error event from crashing the process.
  client.on("error", () => undefined);
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
