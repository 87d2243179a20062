import { strict as assert } from "node:assert";
import { Client } from "pg";
import {
  applicationGrants,
  checkName,
  dropDatabaseAndRole,
  ensureApplicationRole,
  ensureDatabase,
} from "../../lambdas/cupping/application-role";
import { applyMigrations } from "../../lambdas/cupping/migrations";
import { testPostgresCluster, type PostgresEnvironment } from "../support/postgres";
import { clientConfig } from "../support/postgres";
import { tastingSession, withClient } from "./cupping-service";

const role = "cupping_role_test";
const password = "role-test-password";

/** Runs `work` connected as the application role. */
async function asApplication<T>(
  environment: PostgresEnvironment,
  work: (client: Client) => Promise<T>,
): Promise<T> {
  return withClient({ ...environment, PGUSER: role, PGPASSWORD: password }, work);
}

/** The SQLSTATE a statement fails with, or "ok". */
const outcome = (client: Client, sql: string) =>
  client.query(sql).then(
    () => "ok",
    (error: { code?: string }) => error.code ?? "error",
  );

describe("cupping service: the application role (least privilege in the database)", () => {
  let database: PostgresEnvironment;

  before(async () => {
    const cluster = await testPostgresCluster();
    const name = "cupping_role_checks";
    await withClient(cluster.environment("postgres"), (client) => ensureDatabase(client, name));
    database = cluster.environment(name);
    await withClient(database, async (client) => {
      await applyMigrations(client);
      await ensureApplicationRole(client, {
        role,
        database: name,
        password,
        iamAuthentication: false,
      });
      // Twice: the second run changes nothing and does not fail.
      await ensureApplicationRole(client, {
        role,
        database: name,
        password,
        iamAuthentication: false,
      });
    });
  });

  it("may do what the API does: add, read and delete sessions (the cascade removes their cuppings)", async () => {
    await asApplication(database, async (client) => {
      const [{ id }] = (
        await client.query<{ id: number }>(
          "INSERT INTO sessions (name, form_name) VALUES ('Role check', 'SCA') RETURNING id",
        )
      ).rows;
      const cupping = tastingSession.cuppings[0];
      await client.query(
        "INSERT INTO cuppings (session_id, name, scores, overall_score) VALUES ($1, $2, $3, $4)",
        [id, cupping.name, JSON.stringify(cupping.scores), cupping.overallScore],
      );
      assert.equal(
        (await client.query("SELECT * FROM cuppings WHERE session_id = $1", [id])).rowCount,
        1,
      );
      assert.equal((await client.query("DELETE FROM sessions WHERE id = $1", [id])).rowCount, 1);
    });
    await withClient(database, async (client) =>
      assert.equal((await client.query("SELECT * FROM cuppings")).rowCount, 0),
    );
  });

  it("cannot DROP, ALTER, TRUNCATE, UPDATE, create tables, read the migrations table or create roles (attacks with a stolen API connection)", async () => {
    await asApplication(database, async (client) => {
      const attempts = {
        "DROP TABLE cuppings": "42501",
        "DROP TABLE sessions CASCADE": "42501",
        "ALTER TABLE sessions ADD COLUMN owned boolean": "42501",
        "ALTER TABLE cuppings DROP CONSTRAINT cuppings_scores_valid": "42501",
        "TRUNCATE sessions CASCADE": "42501",
        "UPDATE sessions SET name = 'x'": "42501",
        "DELETE FROM cuppings": "42501",
        "CREATE TABLE planted (id integer)": "42501",
        "SELECT * FROM schema_migrations": "42501",
        "CREATE ROLE intruder": "42501",
        "DROP FUNCTION has_text(text)": "42501",
      };
      const seen: Record<string, string> = {};
      for (const sql of Object.keys(attempts)) seen[sql] = await outcome(client, sql);
      assert.deepEqual(seen, attempts);
    });
  });

  it("has exactly the documented table rights, and is no superuser", async () => {
    await withClient(database, async (client) => {
      const rows = (
        await client.query<{ table_name: string; privilege_type: string }>(
          "SELECT table_name, privilege_type FROM information_schema.role_table_grants WHERE grantee = $1 ORDER BY 1, 2",
          [role],
        )
      ).rows;
      const granted: Record<string, string[]> = {};
      for (const row of rows) (granted[row.table_name] ??= []).push(row.privilege_type);
      assert.deepEqual(
        granted,
        Object.fromEntries(
          Object.entries(applicationGrants).map(([table, rights]) => [table, [...rights].sort()]),
        ),
      );
      const [attributes] = (
        await client.query(
          "SELECT rolsuper, rolcreaterole, rolcreatedb, rolbypassrls FROM pg_roles WHERE rolname = $1",
          [role],
        )
      ).rows;
      assert.deepEqual(attributes, {
        rolsuper: false,
        rolcreaterole: false,
        rolcreatedb: false,
        rolbypassrls: false,
      });
    });
  });

  it("refuses names that are not plain PostgreSQL names, naming the field (no SQL reaches the server)", () => {
    assert.throws(
      () => checkName("role", 'x"; DROP TABLE sessions; --'),
      /^Error: role is "x"; DROP TABLE sessions; --" \(expected a PostgreSQL name/,
    );
    assert.throws(() => checkName("database", "Review-1"), /^Error: database is "Review-1"/);
  });

  it("drops a database and its role, and a repeat is a no-op", async () => {
    const cluster = await testPostgresCluster();
    const target = { database: "review_pr_4242", role: "review_pr_4242" };
    await withClient(cluster.environment("postgres"), async (client) => {
      assert.equal(await ensureDatabase(client, target.database), true);
      assert.equal(await ensureDatabase(client, target.database), false);
    });
    await withClient(cluster.environment(target.database), async (client) => {
      await applyMigrations(client);
      await ensureApplicationRole(client, { ...target, password, iamAuthentication: false });
    });
    const connected = new Client(
      clientConfig({
        ...cluster.environment(target.database),
        PGUSER: target.role,
        PGPASSWORD: password,
      }),
    );
    await connected.connect();
    connected.on("error", () => undefined);
    await withClient(cluster.environment("postgres"), async (client) => {
      await dropDatabaseAndRole(client, target);
      await dropDatabaseAndRole(client, target);
      assert.equal(
        (await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [target.database]))
          .rowCount,
        0,
      );
      assert.equal(
        (await client.query("SELECT 1 FROM pg_roles WHERE rolname = $1", [target.role])).rowCount,
        0,
      );
    });
    await connected.end().catch(() => undefined);
  });
});
