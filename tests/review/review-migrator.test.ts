import { strict as assert } from "node:assert";
import type { Client } from "pg";
import { ensureApplicationRole } from "../../lambdas/cupping/application-role";
import { handler as migrateHandler } from "../../lambdas/cupping/migrate-handler";
import { applyMigrations, migrationIds, migrations } from "../../lambdas/cupping/migrations";
import { captureLogs, replaceServiceEnvironment, withClient } from "../service/cupping-service";
import {
  testPostgresCluster,
  type PostgresCluster,
  type PostgresEnvironment,
} from "../support/postgres";

// Stands in for the IAM token the review migrator signs: the embedded server checks passwords, RDS checks tokens.
const reviewPassword = "review-password-1";
const base = { database: "review_base_cupping", role: "review_base_api" };
/** The master user as RDS makes it: no superuser, but CREATEDB and CREATEROLE (RDS's rds_superuser role aside). */
const rdsMaster = { user: "review_base_admin", password: "master-password-1" };
const ownReview = { database: "review_pr_501", role: "review_pr_501" };
const otherReview = { database: "review_pr_502", role: "review_pr_502" };
/** A pull request's migration, as its checkout's migrate function bundles it. */
const pullRequestMigration = {
  id: "0003-add-roast-level",
  sql: "ALTER TABLE sessions ADD COLUMN roast_level text",
};

describe("a review stack's own migrator (real PostgreSQL): the pull request's migrations, as its database's owner", () => {
  let cluster: PostgresCluster;
  let master: (database: string) => PostgresEnvironment;
  /** The review role's sign-in to a database of the cluster. */
  const asReview = (database: string, role = ownReview.role): PostgresEnvironment => ({
    ...cluster.environment(database),
    PGUSER: role,
    PGPASSWORD: reviewPassword,
  });
  /** Runs `work` signed in as the review role, on its own connection. */
  async function reviewSession<T>(database: string, work: (client: Client) => Promise<T>) {
    return withClient(asReview(database), work);
  }

  /** The base stack's migrate function, signed in as its master user. */
  async function baseMigrator(event: object): Promise<string[]> {
    const restore = replaceServiceEnvironment({
      ...master(base.database),
      PGUSER: rdsMaster.user,
      PGPASSWORD: rdsMaster.password,
    });
    try {
      let answer: string[] = [];
      await captureLogs(async () => (answer = await migrateHandler(event)));
      return answer;
    } finally {
      restore();
    }
  }

  before(async () => {
    cluster = await testPostgresCluster();
    master = (database) => cluster.environment(database);
    // The base stack: its database migrated by the master user, with its application role.
    await cluster.createDatabase(base.database);
    await withClient(master(base.database), async (client) => {
      await applyMigrations(client);
      await ensureApplicationRole(client, { ...base, iamAuthentication: false });
    });
    await withClient(master("postgres"), (client) =>
      client.query(
        `CREATE ROLE ${rdsMaster.user} LOGIN NOSUPERUSER INHERIT CREATEDB CREATEROLE PASSWORD ${client.escapeLiteral(rdsMaster.password)}`,
      ),
    );
    // The base's migrate function, signed in as that master, prepares both review databases, as on every review deploy.
    for (const review of [ownReview, otherReview])
      assert.deepEqual(await baseMigrator({ action: "prepareReviewDatabase", ...review }), []);
    await withClient(master("postgres"), async (client) => {
      for (const review of [ownReview, otherReview])
        await client.query(
          `ALTER ROLE ${review.role} WITH PASSWORD ${client.escapeLiteral(reviewPassword)}`,
        );
    });
  });

  it("applies the service's migrations signed in as review_pr_<n>, then a pull request's own, in its own database", async () => {
    const restore = replaceServiceEnvironment(asReview(ownReview.database));
    try {
      // What the review deploy's invocation runs: no action, no APP_DB_ROLE.
      await captureLogs(async () => {
        assert.deepEqual(await migrateHandler({ source: "review-deploy" }), [...migrationIds]);
        assert.deepEqual(await migrateHandler({ source: "review-deploy" }), []);
      });
    } finally {
      restore();
    }
    await reviewSession(ownReview.database, async (client) => {
      assert.deepEqual(await applyMigrations(client, [...migrations, pullRequestMigration]), [
        pullRequestMigration.id,
      ]);
      await client.query(
        "INSERT INTO sessions (name, form_name, roast_level) VALUES ($1, $2, $3)",
        ["Monday", "SCA", "light"],
      );
      assert.equal(
        (await client.query("SELECT tableowner FROM pg_tables WHERE tablename = 'sessions'"))
          .rows[0].tableowner,
        ownReview.role,
      );
    });
    // The base's schema is untouched.
    await withClient(master(base.database), async (client) =>
      assert.equal(
        (
          await client.query(
            "SELECT 1 FROM information_schema.columns WHERE table_name = 'sessions' AND column_name = 'roast_level'",
          )
        ).rowCount,
        0,
      ),
    );
  });

  it("a migration that creates or changes roles fails, rolled back, with PostgreSQL's reason", async () => {
    for (const sql of [
      "CREATE ROLE cupping_app LOGIN",
      `ALTER ROLE ${base.role} WITH PASSWORD 'taken'`,
      `ALTER ROLE ${ownReview.role} WITH CREATEROLE`,
      `GRANT ${base.role} TO ${ownReview.role}`,
    ])
      await reviewSession(ownReview.database, async (client) =>
        assert.rejects(
          applyMigrations(client, [{ id: "9999-escalate", sql }]),
          /^Error: Migration 9999-escalate failed, and was rolled back: permission denied/,
          sql,
        ),
      );
  });

  it("attack denied: SET ROLE to the master or the base's application role, after RESET ROLE too", async () => {
    const superuser = master(base.database).PGUSER;
    await reviewSession(ownReview.database, async (client) => {
      for (const role of [rdsMaster.user, superuser, base.role, otherReview.role]) {
        await client.query("RESET ROLE");
        await assert.rejects(
          client.query(`SET ROLE ${client.escapeIdentifier(role)}`),
          /permission denied to set role/,
          role,
        );
        await assert.rejects(
          client.query(`SET SESSION AUTHORIZATION ${client.escapeIdentifier(role)}`),
          /permission denied to set session authorization/,
          role,
        );
      }
      assert.equal((await client.query("SELECT current_user AS u")).rows[0].u, ownReview.role);
    });
  });

  it("attack denied: the base database's data and schema, though PUBLIC may connect to it", async () => {
    await reviewSession(base.database, async (client) => {
      for (const [sql, refusal] of [
        ["SELECT * FROM sessions", /permission denied for table sessions/],
        ["DELETE FROM cuppings", /permission denied for table cuppings/],
        ["DROP TABLE sessions", /must be owner of table sessions/],
        ["ALTER TABLE sessions ADD COLUMN x text", /must be owner of table sessions/],
        ["CREATE TABLE planted (x text)", /permission denied for schema public/],
        [`DROP DATABASE ${otherReview.database}`, /must be owner of database/],
        [`ALTER DATABASE ${base.database} OWNER TO ${ownReview.role}`, /must be owner of database/],
      ] as const)
        await assert.rejects(client.query(sql), refusal, sql);
    });
  });

  it("attack denied: another review stack's database, while its own review role may connect", async () => {
    await assert.rejects(
      reviewSession(otherReview.database, async () => undefined),
      /permission denied for database "review_pr_502"/,
    );
    await withClient(asReview(otherReview.database, otherReview.role), async (client) =>
      assert.equal(
        (await client.query("SELECT current_database() AS d")).rows[0].d,
        otherReview.database,
      ),
    );
  });

  it("is created with no rights beyond its database: no superuser, role or database creation", async () => {
    await withClient(master("postgres"), async (client) => {
      const { rows } = await client.query(
        "SELECT rolsuper, rolcreaterole, rolcreatedb, rolbypassrls, rolreplication FROM pg_roles WHERE rolname = $1",
        [ownReview.role],
      );
      assert.deepEqual(rows, [
        {
          rolsuper: false,
          rolcreaterole: false,
          rolcreatedb: false,
          rolbypassrls: false,
          rolreplication: false,
        },
      ]);
      // Member of no role: nothing to SET ROLE to.
      const memberOf = await client.query(
        "SELECT roleid::regrole::text AS role FROM pg_auth_members WHERE member = $1::regrole",
        [ownReview.role],
      );
      assert.deepEqual(memberOf.rows, []);
    });
  });

  it("the base's migrator, as RDS's master, drops a review database and its role when the pull request closes", async () => {
    assert.deepEqual(await baseMigrator({ action: "dropReviewDatabase", ...otherReview }), []);
    await withClient(master("postgres"), async (client) => {
      assert.equal(
        (await client.query("SELECT 1 FROM pg_roles WHERE rolname = $1", [otherReview.role]))
          .rowCount,
        0,
      );
      assert.equal(
        (await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [otherReview.database]))
          .rowCount,
        0,
      );
    });
  });
});
