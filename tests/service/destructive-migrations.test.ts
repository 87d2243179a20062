import { strict as assert } from "node:assert";
import {
  destructiveStatements,
  listDestructiveMigrations,
  splitStatements,
} from "../../lambdas/cupping/destructive-migrations";

const kinds = (sql: string) =>
  destructiveStatements("0009-test.sql", sql).map((found) => [found.kind, found.reason ?? null]);

describe("cupping service: destructive migrations need a marker with a reason", () => {
  it("every migration in lambdas/cupping/migrations is safe or marked (this test is what fails the Build otherwise)", () => {
    const unmarked = listDestructiveMigrations().filter((found) => !found.reason);
    assert.deepEqual(
      unmarked,
      [],
      `add "-- destructive: <reason>" on the line before each, or make the change in steps the running version survives:\n${unmarked.map((found) => `${found.file}:${found.line} ${found.kind}: ${found.statement}`).join("\n")}`,
    );
  });

  const cases: Array<[string, string]> = [
    ["DROP TABLE", "DROP TABLE cuppings"],
    ["DROP COLUMN", "ALTER TABLE cuppings DROP COLUMN notes"],
    ["DROP COLUMN", "alter table cuppings drop notes"],
    ["ALTER COLUMN TYPE", "ALTER TABLE cuppings ALTER COLUMN notes TYPE varchar(10)"],
    ["ALTER COLUMN TYPE", "ALTER TABLE cuppings ALTER notes SET DATA TYPE varchar(10)"],
    ["RENAME", "ALTER TABLE cuppings RENAME COLUMN notes TO remarks"],
    ["RENAME", "ALTER TABLE sessions RENAME TO tastings"],
    ["SET NOT NULL", "ALTER TABLE sessions ALTER COLUMN account_id SET NOT NULL"],
    ["ADD COLUMN NOT NULL without DEFAULT", "ALTER TABLE sessions ADD COLUMN origin text NOT NULL"],
    ["TRUNCATE", "TRUNCATE sessions CASCADE"],
  ];
  for (const [kind, sql] of cases) {
    it(`finds ${kind} in: ${sql}`, () => {
      assert.deepEqual(kinds(`${sql};`), [[kind, null]]);
    });
  }

  it("lets through what the running version survives: new tables, columns with defaults, dropped constraints, indexes", () => {
    assert.deepEqual(
      kinds(`CREATE TABLE origins (id integer);
        ALTER TABLE sessions ADD COLUMN origin text NOT NULL DEFAULT 'unknown';
        ALTER TABLE sessions ADD COLUMN region text;
        ALTER TABLE cuppings DROP CONSTRAINT cuppings_notes_length;
        ALTER TABLE cuppings ALTER COLUMN notes DROP NOT NULL;
        CREATE INDEX sessions_origin ON sessions (origin);`),
      [],
    );
  });

  it("accepts a marked statement and keeps its reason; a marker separated by a blank line does not count", () => {
    const sql = `-- destructive: notes moved to cupping_notes in 0008, read by no deployed version
ALTER TABLE cuppings DROP COLUMN notes;

-- destructive: not for the statement after the blank line

DROP TABLE sessions_old;`;
    assert.deepEqual(kinds(sql), [
      ["DROP COLUMN", "notes moved to cupping_notes in 0008, read by no deployed version"],
      ["DROP TABLE", null],
    ]);
    assert.equal(destructiveStatements("f.sql", sql)[1].line, 6);
  });

  it("does not look inside strings, dollar-quoted bodies or comments", () => {
    const statements =
      splitStatements(`CREATE FUNCTION f() RETURNS void LANGUAGE plpgsql AS $$ BEGIN DROP TABLE x; END $$;
      SELECT 'DROP TABLE y; --';
      /* DROP TABLE z; */ SELECT 1;`);
    assert.equal(statements.length, 3);
    assert.deepEqual(kinds(statements.map((statement) => `${statement.text};`).join("\n")), []);
  });
});
