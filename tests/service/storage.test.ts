import { strict as assert } from "node:assert";
import { createCuppingApi, type CuppingApi } from "../../lambdas/cupping/api";
import { openDatabase, type Database } from "../../lambdas/cupping/database";
import { readDatabaseSettings } from "../../lambdas/cupping/database-settings";
import { createSessionRepository } from "../../lambdas/cupping/session-repository";
import type { Session } from "../../lambdas/cupping/session";
import { clearSessions, cuppingDatabase, query, tastingSession } from "./cupping-service";

const failOnLog = {
  warn: (message: string) => assert.fail(`unexpected warning: ${message}`),
  error: (message: string, attributes: Record<string, unknown>) =>
    assert.fail(`unexpected error: ${message} ${String(attributes.error)}`),
};

/** A service instance with a pool of its own of one connection, as each Lambda container has (one event at a time). */
async function openInstance(): Promise<{ api: CuppingApi; database: Database }> {
  const settings = { ...readDatabaseSettings(await cuppingDatabase()), poolSize: 1 };
  const database = await openDatabase(settings, { onIdleConnectionError: () => undefined });
  return {
    api: createCuppingApi({
      sessions: createSessionRepository(database),
      log: failOnLog,
      corsOrigins: [],
    }),
    database,
  };
}

const request = (
  method: string,
  path: string,
  body?: unknown,
  query: Record<string, string> = {},
) => ({
  method,
  path,
  query,
  headers: { "content-type": "application/json" },
  body: body === undefined ? undefined : JSON.stringify(body),
  requestId: "test",
});

describe("cupping service: what the database guarantees", () => {
  beforeEach(clearSessions);

  describe("its own constraints, for writers that bypass the API", () => {
    const session = { name: "'Table'", form_name: "'SCA'", account_id: "NULL", user_id: "NULL" };
    const cupping = {
      name: "'Lot'",
      scores: `'{"Aroma": 8}'`,
      overall_score: "80",
      descriptors: "'{}'",
      defects: "'{}'",
      notes: "NULL",
    };
    const insertSession = (columns: Record<string, string>) =>
      `INSERT INTO sessions (${Object.keys(columns).join(", ")}) VALUES (${Object.values(columns).join(", ")}) RETURNING id`;
    const insertCupping = (columns: Record<string, string>) =>
      `INSERT INTO cuppings (session_id, ${Object.keys(columns).join(", ")}) SELECT id, ${Object.values(columns).join(", ")} FROM sessions LIMIT 1`;
    const cases: Array<[string, string, boolean]> = [
      [
        "a session name of 127 characters",
        insertSession({ ...session, name: "repeat('x', 127)" }),
        true,
      ],
      [
        "a session name of 128 characters",
        insertSession({ ...session, name: "repeat('x', 128)" }),
        false,
      ],
      [
        "a blank session name (tab, no-break space)",
        insertSession({ ...session, name: "E'\\t\\u00a0'" }),
        false,
      ],
      ["an empty form name", insertSession({ ...session, form_name: "''" }), false],
      ["account id 0", insertSession({ ...session, account_id: "0" }), false],
      ["user id -1", insertSession({ ...session, user_id: "-1" }), false],
      [
        "a cupping name of 128 characters",
        insertCupping({ ...cupping, name: "repeat('x', 128)" }),
        true,
      ],
      [
        "a cupping name of 129 characters",
        insertCupping({ ...cupping, name: "repeat('x', 129)" }),
        false,
      ],
      ["empty scores", insertCupping({ ...cupping, scores: "'{}'" }), false],
      ["scores that are a list", insertCupping({ ...cupping, scores: "'[8]'" }), false],
      ["a score that is text", insertCupping({ ...cupping, scores: `'{"Aroma": "8"}'` }), false],
      ["a blank score name", insertCupping({ ...cupping, scores: `'{" ": 8}'` }), false],
      ["overall score 100", insertCupping({ ...cupping, overall_score: "100" }), true],
      ["overall score 100.1", insertCupping({ ...cupping, overall_score: "100.1" }), false],
      ["overall score -0.1", insertCupping({ ...cupping, overall_score: "-0.1" }), false],
      [
        "overall score 88.55 (a second decimal is refused, not rounded)",
        insertCupping({ ...cupping, overall_score: "88.55" }),
        false,
      ],
      ["a blank descriptor", insertCupping({ ...cupping, descriptors: `'{"fruit", " "}'` }), false],
      ["a missing descriptor", insertCupping({ ...cupping, descriptors: "'{NULL}'" }), false],
      [
        "a two-dimensional defect list",
        insertCupping({ ...cupping, defects: "'{{a},{b}}'" }),
        false,
      ],
      ["notes of 255 characters", insertCupping({ ...cupping, notes: "repeat('n', 255)" }), true],
      ["notes of 256 characters", insertCupping({ ...cupping, notes: "repeat('n', 256)" }), false],
    ];
    for (const [label, statement, allowed] of cases) {
      it(`${allowed ? "accepts" : "refuses"} ${label}`, async () => {
        await query(insertSession(session));
        const outcome = await query(statement).then(
          () => "accepted",
          (error: { code?: string }) => error.code,
        );
        // 23514 is check_violation: each refusal comes from one of the tables' CHECK constraints.
        assert.equal(outcome, allowed ? "accepted" : "23514");
      });
    }
  });

  it("writes a session and its cuppings all or nothing", async () => {
    const { database } = await openInstance();
    try {
      const sessions = createSessionRepository(database);
      // A cupping the API would refuse, given straight to the repository: the database refuses it too.
      const broken = {
        ...tastingSession,
        cuppings: [
          tastingSession.cuppings[0],
          { ...tastingSession.cuppings[1], overallScore: 101 },
        ],
      };
      await assert.rejects(sessions.create(broken), {
        code: "23514",
        constraint: "cuppings_overall_score_range",
      });
      assert.deepEqual(
        await query(
          "SELECT (SELECT count(*) FROM sessions) AS sessions, (SELECT count(*) FROM cuppings) AS cuppings",
        ),
        [{ sessions: "0", cuppings: "0" }],
      );
    } finally {
      await database.close();
    }
  });

  it("loses nothing when many clients create sessions at once", async () => {
    const instances = await Promise.all(Array.from({ length: 6 }, openInstance));
    const perInstance = 20;
    try {
      const answers = await Promise.all(
        instances.flatMap(({ api }, client) =>
          Array.from({ length: perInstance }, (_, index) =>
            api(
              request("POST", "/session", {
                ...tastingSession,
                name: `client ${client} session ${index}`,
                cuppings: tastingSession.cuppings.map((cupping) => ({
                  ...cupping,
                  name: `${client}/${index} ${cupping.name}`,
                })),
              }),
            ),
          ),
        ),
      );
      assert.deepEqual(new Set(answers.map((answer) => answer.statusCode)), new Set([201]));
      const created = answers.map(
        (answer) => (JSON.parse(answer.body ?? "{}") as { session: Session }).session,
      );
      const total = instances.length * perInstance;
      assert.equal(new Set(created.map((session) => session.id)).size, total);

      // Read back page by page through another instance: every session once, each with its own two cuppings.
      const listed: Session[] = [];
      let cursor: string | null = null;
      do {
        const answer = await instances[0].api(
          request("GET", "/session", undefined, { limit: "100", ...(cursor ? { cursor } : {}) }),
        );
        const page = JSON.parse(answer.body ?? "{}") as {
          sessions: Session[];
          nextCursor: string | null;
        };
        listed.push(...page.sessions);
        cursor = page.nextCursor;
      } while (cursor);
      assert.deepEqual(
        listed.map((session) => session.name).sort(),
        created.map((session) => session.name).sort(),
      );
      for (const session of listed) {
        const [, client, index] = /^client (\d+) session (\d+)$/.exec(session.name) ?? [];
        assert.deepEqual(
          session.cuppings.map((cupping) => cupping.name),
          tastingSession.cuppings.map((cupping) => `${client}/${index} ${cupping.name}`),
        );
      }
      assert.deepEqual(await query("SELECT count(*) AS cuppings FROM cuppings"), [
        { cuppings: String(total * 2) },
      ]);
    } finally {
      await Promise.all(instances.map(({ database }) => database.close()));
    }
  });
});
