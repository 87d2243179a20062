import { strict as assert } from "node:assert";
import { closeDatabase } from "../../lambdas/cupping/handler";
import { testPostgresCluster } from "../support/postgres";
import {
  callApi,
  captureLogs,
  createSession,
  query,
  replaceServiceEnvironment,
  tastingSession,
  useCuppingService,
  type Answer,
} from "./cupping-service";

describe("cupping service: when things fail", () => {
  useCuppingService();

  it("answers 503 while the database server is down, and the first request after it is back succeeds", async () => {
    const kept = await createSession(tastingSession);
    const cluster = await testPostgresCluster();
    const answers: Answer[] = [];
    // The pool holds an idle connection that the stop ends under it.
    const logs = await captureLogs(async () => {
      await cluster.stop();
      try {
        answers.push(
          await callApi("GET", `/session/${kept.id}`),
          await callApi("POST", "/session", { body: tastingSession }),
        );
      } finally {
        await cluster.start();
      }
    });
    for (const answer of answers) {
      assert.equal(answer.status, 503);
      assert.deepEqual(answer.body, {
        errors: ["The database is unavailable; try again in a few seconds"],
      });
      assert.equal(answer.headers["retry-after"], "5");
      assert.ok(
        logs.some((line) => line.level === "WARN" && line.requestId === answer.requestId),
        "each 503 is logged with its request id",
      );
    }
    const back = await callApi("GET", `/session/${kept.id}`);
    assert.equal(back.status, 200);
    assert.deepEqual(back.body.session, kept);
  });

  it("answers 500 with no internals for an unexpected failure, and logs it with the request id", async () => {
    const session = await createSession(tastingSession);
    await query("ALTER TABLE cuppings RENAME TO cuppings_elsewhere");
    let answer: Answer | undefined;
    let logs;
    try {
      logs = await captureLogs(
        async () => (answer = await callApi("GET", `/session/${session.id}`)),
      );
    } finally {
      await query("ALTER TABLE cuppings_elsewhere RENAME TO cuppings");
    }
    assert.ok(answer);
    assert.equal(answer.status, 500);
    assert.equal(answer.rawBody, JSON.stringify({ errors: ["Unexpected server error"] }));
    const [line] = logs.filter((entry) => entry.level === "ERROR");
    assert.ok(line, "the failure is logged");
    assert.equal(line.message, "Unexpected server error");
    assert.equal(line.requestId, answer.requestId);
    assert.equal(line.path, `/session/${session.id}`);
    assert.match(
      String((line.error as { message?: string }).message),
      /relation "cuppings" does not exist/,
    );
    assert.equal((await callApi("GET", `/session/${session.id}`)).status, 200);
  });

  it("answers 500 when it cannot start (settings missing), logs why, and starts on a later request once they are there", async () => {
    await closeDatabase();
    const restore = replaceServiceEnvironment({});
    let answer: Answer | undefined;
    let logs;
    try {
      logs = await captureLogs(async () => (answer = await callApi("GET", "/session")));
    } finally {
      restore();
    }
    assert.equal(answer?.status, 500);
    assert.deepEqual(answer?.body, { errors: ["Unexpected server error"] });
    const [line] = logs.filter((entry) => entry.level === "ERROR");
    assert.equal(line?.message, "The cupping service could not start");
    assert.equal(line?.requestId, answer?.requestId);
    assert.match(
      String((line?.error as { message?: string }).message),
      /PGHOST is not set.*PGDATABASE is not set/,
    );
    assert.equal((await callApi("GET", "/session")).status, 200);
  });
});
