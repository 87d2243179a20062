import { strict as assert } from "node:assert";
import { execFile } from "node:child_process";
import { readdirSync } from "node:fs";
import * as path from "node:path";
import { promisify } from "node:util";
import { handler as migrateHandler } from "../../lambdas/cupping/migrate-handler";
import {
  applyMigrations,
  migrationIds,
  migrations,
  migrationsTable,
} from "../../lambdas/cupping/migrations";
import { testPostgresCluster, type PostgresEnvironment } from "../support/postgres";
import { captureLogs, replaceServiceEnvironment, withClient } from "./cupping-service";

const projectRoot = path.resolve(__dirname, "../..");
let databases = 0;

/** A new, empty database of the test cluster. */
async function freshDatabase(): Promise<PostgresEnvironment> {
  const cluster = await testPostgresCluster();
  databases += 1;
  const name = `cupping_migrations_${databases}`;
  await cluster.createDatabase(name);
  return cluster.environment(name);
}

const tablesIn = (environment: PostgresEnvironment) =>
  withClient(environment, async (client) =>
    (
      await client.query<{ name: string }>(
        "SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' ORDER BY 1",
      )
    ).rows.map((row) => row.name),
  );

describe("cupping service: migrations", () => {
  it("lists every SQL file of lambdas/cupping/migrations, in file-name order", () => {
    const files = readdirSync(path.join(projectRoot, "lambdas/cupping/migrations")).filter((file) =>
      file.endsWith(".sql"),
    );
    assert.deepEqual(
      [...migrationIds],
      files.sort().map((file) => file.replace(/\.sql$/, "")),
    );
    assert.ok(migrations.every((migration) => /CREATE TABLE/.test(migration.sql)));
  });

  it("applies the migrations in order, then does nothing the second time", async () => {
    const database = await freshDatabase();
    await withClient(database, async (client) => {
      assert.deepEqual(await applyMigrations(client), [
        "0001-create-sessions",
        "0002-create-cuppings",
      ]);
      assert.deepEqual(await applyMigrations(client), []);
    });
    assert.deepEqual(await tablesIn(database), ["cuppings", migrationsTable, "sessions"]);
  });

  it("applies each migration once when several deploys migrate at the same moment", async () => {
    const database = await freshDatabase();
    const runs = await Promise.all(
      [1, 2, 3].map(() => withClient(database, (client) => applyMigrations(client))),
    );
    assert.deepEqual(runs.flat().sort(), [...migrationIds]);
  });

  it("rolls back a failing migration, records nothing for it, and says which one failed and why", async () => {
    const database = await freshDatabase();
    const broken = {
      id: "0003-broken",
      sql: "CREATE TABLE half_done (id integer); SELECT no_such_column FROM sessions;",
    };
    await withClient(database, async (client) => {
      await assert.rejects(
        applyMigrations(client, [...migrations, broken]),
        /^Error: Migration 0003-broken failed, and was rolled back: column "no_such_column" does not exist$/,
      );
      const recorded = await client.query<{ id: string }>(
        `SELECT id FROM ${migrationsTable} ORDER BY id`,
      );
      assert.deepEqual(
        recorded.rows.map((row) => row.id),
        [...migrationIds],
      );
    });
    assert.ok(!(await tablesIn(database)).includes("half_done"));
  });

  describe("the migration Lambda (migrate-handler.ts)", () => {
    it("returns the ids it applied, then none", async () => {
      const restore = replaceServiceEnvironment(await freshDatabase());
      try {
        const logs = await captureLogs(async () => {
          assert.deepEqual(await migrateHandler({}), [...migrationIds]);
          assert.deepEqual(await migrateHandler({}), []);
        });
        assert.deepEqual(
          logs.map((line) => [line.level, line.message, line.applied]),
          [
            ["INFO", "Migrations applied", [...migrationIds]],
            ["INFO", "The database was up to date", []],
          ],
        );
      } finally {
        restore();
      }
    });

    it("prepares a review stack's own database owned by its role (left for the review's migrator to migrate), drops them on request, and never hands over or drops its own database", async () => {
      const own = await freshDatabase();
      const restore = replaceServiceEnvironment(own);
      const review = { database: "review_pr_77", role: "review_pr_77" };
      try {
        await captureLogs(async () => {
          assert.deepEqual(
            await migrateHandler({ action: "prepareReviewDatabase", ...review }),
            [],
          );
          assert.deepEqual(
            await migrateHandler({ action: "prepareReviewDatabase", ...review }),
            [],
          );
          assert.deepEqual(await tablesIn({ ...own, PGDATABASE: review.database }), []);
          await withClient(own, async (client) =>
            assert.deepEqual(
              (
                await client.query(
                  "SELECT pg_get_userbyid(datdba) AS owner FROM pg_database WHERE datname = $1",
                  [review.database],
                )
              ).rows,
              [{ owner: review.role }],
            ),
          );
          await assert.rejects(
            migrateHandler({
              action: "prepareReviewDatabase",
              database: own.PGDATABASE,
              role: "review_pr_78",
            }),
            /the service's own database \(PGDATABASE\), which is never given to a review stack/,
          );
          assert.deepEqual(await migrateHandler({ action: "dropReviewDatabase", ...review }), []);
          await withClient(own, async (client) =>
            assert.equal(
              (
                await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [
                  review.database,
                ])
              ).rowCount,
              0,
            ),
          );
          await assert.rejects(
            migrateHandler({ action: "dropReviewDatabase", database: own.PGDATABASE, role: "x" }),
            /the service's own database \(PGDATABASE\), which is never dropped/,
          );
          await assert.rejects(
            migrateHandler({ action: "dropEverything" }),
            /^Error: action is "dropEverything" \(expected prepareReviewDatabase, dropReviewDatabase, enableIamSignIn, pendingMigrations, or none to migrate\)/,
          );
          await assert.rejects(
            migrateHandler({ action: "dropReviewDatabase", database: "review_pr_1" }),
            /^Error: role is missing/,
          );
        });
      } finally {
        restore();
      }
    });

    it("fails the invocation when a migration fails", async () => {
      const database = await freshDatabase();
      await withClient(database, (client) =>
        client.query("CREATE TABLE sessions (taken_by_someone_else integer)"),
      );
      const restore = replaceServiceEnvironment(database);
      try {
        let failure: unknown;
        const logs = await captureLogs(() =>
          migrateHandler({}).catch((error: unknown) => (failure = error)),
        );
        assert.match(
          String(failure),
          /Migration 0001-create-sessions failed, and was rolled back: relation "sessions" already exists/,
        );
        assert.equal(
          logs.find((line) => line.level === "ERROR")?.message,
          "Migrating the database failed",
        );
      } finally {
        restore();
      }
    });
  });

  it("npm run migrate: applies, then reports the database up to date; says what is missing and exits 1 without settings", async () => {
    const database = await freshDatabase();
    const run = (environment: Readonly<Record<string, string>>) =>
      promisify(execFile)(
        process.execPath,
        ["-r", path.join(projectRoot, "tooling/register.js"), "scripts/migrate.ts"],
        {
          cwd: projectRoot,
          env: { PATH: process.env.PATH, ...environment },
        },
      );
    // The run without settings touches no database: it goes beside the first, not after it.
    const [first, withoutSettings] = await Promise.all([
      run(database),
      run({}).then(
        () => undefined,
        (error: { code?: number; stderr?: string }) => error,
      ),
    ]);
    assert.equal(
      first.stdout.trim(),
      `Applied to database ${database.PGDATABASE} on 127.0.0.1:${database.PGPORT}: ${migrationIds.join(", ")}`,
    );
    const second = await run(database);
    assert.equal(
      second.stdout.trim(),
      `The database ${database.PGDATABASE} on 127.0.0.1:${database.PGPORT} is up to date.`,
    );
    assert.equal(withoutSettings?.code, 1, "exits 1 without settings");
    assert.match(withoutSettings?.stderr ?? "", /^npm run migrate failed: .*PGHOST is not set/);
  });
});
