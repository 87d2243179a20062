import { strict as assert } from "node:assert";
import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import * as path from "node:path";
import { performance } from "node:perf_hooks";
import { promisify } from "node:util";
import { databaseTimeouts } from "../../lambdas/cupping/timeouts";
import {
  callApi,
  captureLogs,
  createSession,
  query,
  tastingSession,
  useCuppingService,
  type Answer,
} from "./cupping-service";

/** A short function timeout, so the test waits seconds, not the production ten. */
const functionTimeoutSeconds = 3;

/** The PostgreSQL server process and every process it started (backends, background workers). */
async function serverProcesses(): Promise<number[]> {
  const [{ setting }] = await query<{ setting: string }>(
    "SELECT setting FROM pg_settings WHERE name = 'data_directory'",
  );
  const postmaster = Number(
    (await readFile(path.join(setting, "postmaster.pid"), "utf8")).split("\n")[0],
  );
  const { stdout } = await promisify(execFile)("ps", ["-o", "pid=", "--ppid", String(postmaster)]);
  return [
    postmaster,
    ...stdout
      .split("\n")
      .filter((line) => line.trim())
      .map(Number),
  ];
}

/** Signals each process that still exists: a backend may end between listing and signalling. */
function signal(pids: readonly number[], name: NodeJS.Signals): void {
  for (const pid of pids) {
    try {
      process.kill(pid, name);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ESRCH") throw error;
    }
  }
}

describe("cupping service: a frozen database (SIGSTOP) gets 503 before the function's timeout, and loses or splits no write", () => {
  useCuppingService(() => ({ FUNCTION_TIMEOUT_SECONDS: String(functionTimeoutSeconds) }));

  it("derives every bound from the function's timeout, leaving time to answer", () => {
    for (const seconds of [1, 3, 10, 30, 120]) {
      const bounds = databaseTimeouts(seconds);
      assert.ok(
        bounds.connectMs + bounds.queryMs < seconds * 1000,
        `${seconds} s: ${JSON.stringify(bounds)}`,
      );
      assert.ok(
        bounds.statementMs < bounds.queryMs && bounds.statementMs > 0,
        `${seconds} s: ${JSON.stringify(bounds)}`,
      );
    }
  });

  it("answers 503 with Retry-After within the timeout while frozen, then serves again, and every stored session is whole", async () => {
    const before = await createSession(tastingSession);
    const processes = await serverProcesses();
    const answered: Array<{
      readonly answer: Answer;
      readonly ms: number;
      readonly method: string;
    }> = [];
    const timed = async (method: string, url: string, body?: unknown) => {
      const started = performance.now();
      const answer = await callApi(method, url, body === undefined ? {} : { body });
      answered.push({ answer, ms: performance.now() - started, method });
    };
    const logs = await captureLogs(async () => {
      // Writes already under way when the server freezes (the first on the pool's open connection), and reads and writes that arrive while it is frozen.
      const inFlight = Array.from({ length: 6 }, (_, index) =>
        timed("POST", "/session", { ...tastingSession, name: `In flight ${index}` }),
      );
      try {
        signal(processes, "SIGSTOP");
        await Promise.all([
          ...inFlight,
          timed("GET", `/session/${before.id}`),
          timed("GET", "/session"),
          timed("POST", "/session", { ...tastingSession, name: "While frozen" }),
        ]);
      } finally {
        signal(processes, "SIGCONT");
      }
    });
    const causes = logs.map(
      (line) => (line.error as { cause?: { message?: string } } | undefined)?.cause?.message,
    );
    assert.ok(
      causes.includes("Query read timeout"),
      `a request holding a connection timed out its query: ${causes.join(", ")}`,
    );

    const refused = answered.filter(({ answer }) => answer.status === 503);
    assert.ok(
      refused.length >= 3,
      `the requests sent while frozen answer 503: ${answered.map(({ answer }) => answer.status).join(", ")}`,
    );
    for (const { answer, ms } of answered) {
      assert.ok([201, 503].includes(answer.status), `${answer.status}: ${answer.rawBody}`);
      assert.ok(
        ms < functionTimeoutSeconds * 1000,
        `answered after ${Math.round(ms)} ms, past the ${functionTimeoutSeconds} s function timeout`,
      );
      if (answer.status === 503) {
        assert.equal(answer.headers["retry-after"], "5");
        assert.deepEqual(answer.body, {
          errors: ["The database is unavailable; try again in a few seconds"],
        });
      }
    }

    // Back: the next requests succeed on fresh connections.
    const after = await createSession({ ...tastingSession, name: "After" });
    assert.equal((await callApi("GET", `/session/${before.id}`)).status, 200);
    // Nothing lost: every write that answered 201 is stored. Nothing half-done: every stored session has all its cuppings.
    const stored = await query<{ id: number; name: string; cuppings: string }>(
      "SELECT session.id, session.name, count(cupping.id) AS cuppings FROM sessions AS session LEFT JOIN cuppings AS cupping ON cupping.session_id = session.id GROUP BY session.id",
    );
    const storedIds = new Set(stored.map((row) => row.id));
    for (const { answer } of answered.filter(({ answer }) => answer.status === 201))
      assert.ok(storedIds.has(answer.body.session?.id ?? 0), "a 201 write is stored");
    assert.ok(storedIds.has(before.id) && storedIds.has(after.id));
    for (const row of stored)
      assert.equal(
        Number(row.cuppings),
        tastingSession.cuppings.length,
        `session ${row.name} is whole`,
      );
  });
});
