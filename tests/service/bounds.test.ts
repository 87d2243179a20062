import { strict as assert } from "node:assert";
import type { APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import { corsHeaders, readCorsOrigins } from "../../lambdas/cupping/cors";
import { handler } from "../../lambdas/cupping/handler";
import { limits } from "../../lambdas/cupping/limits";
import type { Session } from "../../lambdas/cupping/session";
import { payloadV2Event } from "../../tooling/local/http-adapter";
import {
  callApi,
  createSession,
  query,
  tastingSession,
  useCuppingService,
} from "./cupping-service";

/** Lambda's limit for a synchronous response: the JSON of the whole result, body escaped inside it. */
const lambdaResponseLimit = 6 * 1000 * 1000;
/** "Well under" the limit: what every answer must stay below. */
const responseCeiling = 5 * 1000 * 1000;

const cupping = tastingSession.cuppings[0];
const sessionCount = async () =>
  Number((await query<{ count: string }>("SELECT count(*) FROM sessions"))[0].count);
const jsonHeaders = { "content-type": "application/json" };

/** Sends `body` as the raw text of a POST with `headers`, straight to the handler. */
const post = (body: string, headers: Record<string, string> = jsonHeaders) =>
  handler(payloadV2Event({ method: "POST", url: "/session", body, headers }));
const get = (url: string) => handler(payloadV2Event({ method: "GET", url }));
/** What Lambda sends back for this result: its JSON, where every quote in the body is escaped again. */
const responseBytes = (result: APIGatewayProxyStructuredResultV2) =>
  Buffer.byteLength(JSON.stringify(result));

/**
 * The largest session the rules allow, chosen to make the largest answer: the most cuppings, every text of quotes
 * (each one two bytes in the body and four in Lambda's response), as many score names as fit in the body limit.
 */
function largestSession(): { session: object; body: string } {
  const quotes = (count: number) => '"'.repeat(count);
  const cuppingWith = (scoreCount: number, index: number) => ({
    name: quotes(127) + String(index % 10),
    scores: Object.fromEntries(
      Array.from({ length: scoreCount }, (_, score) => [
        quotes(60) + String(score).padStart(4, "0"),
        limits.score.min + 0.25,
      ]),
    ),
    overallScore: 99.9,
    notes: quotes(255),
  });
  for (let scoreCount = limits.scoresPerCupping; scoreCount > 0; scoreCount -= 1) {
    const session = {
      name: quotes(127),
      formName: quotes(127),
      accountId: 2_147_483_647,
      userId: 2_147_483_647,
      cuppings: Array.from({ length: limits.cuppingsPerSession }, (_, index) =>
        cuppingWith(scoreCount, index),
      ),
    };
    const body = JSON.stringify(session);
    if (Buffer.byteLength(body) <= limits.bodyBytes) return { session, body };
  }
  throw new Error("no session of the largest shape fits the body limit");
}

describe("cupping service: bounded input and output", () => {
  useCuppingService(() => ({ CORS_ORIGINS: "https://cupping.example.com, http://localhost:5173" }));

  describe("413: a body above the limit is refused before it is read", () => {
    it(`refuses ${limits.bodyBytes + 1} bytes (even when they are not JSON), and stores nothing`, async () => {
      for (const body of [
        JSON.stringify({ ...tastingSession, name: "x".repeat(limits.bodyBytes) }),
        "{".repeat(limits.bodyBytes + 1),
      ]) {
        const result = await post(body);
        assert.equal(result.statusCode, 413);
        assert.deepEqual(JSON.parse(result.body ?? ""), {
          errors: [`The body is larger than ${limits.bodyBytes} bytes`],
        });
      }
      assert.equal(await sessionCount(), 0);
    });

    it("counts bytes, not characters: 100,000 three-byte characters are over the limit", async () => {
      const result = await post(JSON.stringify({ ...tastingSession, name: "☕".repeat(100_000) }));
      assert.equal(result.statusCode, 413);
    });
  });

  describe("415: a write must say it is JSON", () => {
    for (const contentType of [
      "text/plain",
      "application/x-www-form-urlencoded",
      "multipart/form-data; boundary=x",
      "application/json; charset=latin1",
      "application/jsonp",
    ]) {
      it(`refuses ${contentType} (a web page can send it across origins without a preflight)`, async () => {
        const result = await post(JSON.stringify(tastingSession), { "content-type": contentType });
        assert.equal(result.statusCode, 415);
        assert.match(
          JSON.parse(result.body ?? "").errors[0],
          /^Content-Type must be application\/json/,
        );
        assert.equal(await sessionCount(), 0);
      });
    }

    it("refuses a write without a Content-Type", async () => {
      assert.equal((await post(JSON.stringify(tastingSession), {})).statusCode, 415);
    });

    it("accepts application/json with or without a UTF-8 charset", async () => {
      for (const contentType of [
        "application/json",
        "Application/JSON; charset=UTF-8",
        'application/json;charset="utf-8"',
      ]) {
        assert.equal(
          (await post(JSON.stringify(tastingSession), { "content-type": contentType })).statusCode,
          201,
          contentType,
        );
      }
    });
  });

  describe("400: counts and scores within the documented bounds", () => {
    const fieldErrors = async (body: object) => {
      const answer = await callApi("POST", "/session", { body });
      assert.equal(answer.status, 400, answer.rawBody);
      return answer.body.errors as Record<string, string>;
    };

    it(`refuses more than ${limits.cuppingsPerSession} cuppings, and accepts exactly that many`, async () => {
      const many = (count: number) => ({
        ...tastingSession,
        cuppings: Array.from({ length: count }, () => cupping),
      });
      assert.deepEqual(await fieldErrors(many(limits.cuppingsPerSession + 1)), {
        cuppings: `must hold at most ${limits.cuppingsPerSession} cuppings`,
      });
      assert.equal(
        (await createSession(many(limits.cuppingsPerSession))).cuppings.length,
        limits.cuppingsPerSession,
      );
    });

    it(`refuses more than ${limits.scoresPerCupping} score names, and more than ${limits.listItems} descriptors or defects, whole and unread`, async () => {
      // Every entry is wrong as well: a collection over its limit gets one message, not one per entry.
      const scores = Object.fromEntries(
        Array.from({ length: limits.scoresPerCupping + 1 }, (_, index) => [`Score ${index}`, "5"]),
      );
      const items = Array.from({ length: limits.listItems + 1 }, () => " ");
      assert.deepEqual(
        await fieldErrors({
          ...tastingSession,
          cuppings: [{ ...cupping, scores, descriptors: items, defects: items }],
        }),
        {
          "cuppings.0.scores": `must hold at most ${limits.scoresPerCupping} score names`,
          "cuppings.0.descriptors": `must hold at most ${limits.listItems} texts of 1 to 64 characters`,
          "cuppings.0.defects": `must hold at most ${limits.listItems} texts of 1 to 64 characters`,
        },
      );
    });

    it(`refuses scores outside ${limits.score.min} to ${limits.score.max}, and JSON numbers too large to be finite`, async () => {
      const range = `must be a number from ${limits.score.min} to ${limits.score.max}`;
      assert.deepEqual(
        await fieldErrors({
          ...tastingSession,
          cuppings: [
            {
              ...cupping,
              scores: { Aroma: 1e308, Flavor: -1e308, Body: 100.01, Acidity: limits.score.min },
            },
          ],
        }),
        {
          "cuppings.0.scores.Aroma": range,
          "cuppings.0.scores.Flavor": range,
          "cuppings.0.scores.Body": range,
        },
      );
      // 1e999 is valid JSON that parses as Infinity.
      const infinite = await post(
        JSON.stringify({
          ...tastingSession,
          cuppings: [{ ...cupping, scores: { Aroma: 0 } }],
        }).replace('"Aroma":0', '"Aroma":1e999'),
      );
      assert.equal(infinite.statusCode, 400);
      assert.deepEqual(JSON.parse(infinite.body ?? "").errors, {
        "cuppings.0.scores.Aroma": range,
      });
      assert.equal(await sessionCount(), 0);
    });
  });

  describe("CORS: only the configured origins, never credentials", () => {
    it("names the allowed origin back to it, with Vary: Origin, and nothing to another site", async () => {
      const allowed = await callApi("GET", "/session", {
        headers: { origin: "https://cupping.example.com" },
      });
      assert.equal(allowed.headers["access-control-allow-origin"], "https://cupping.example.com");
      assert.equal(allowed.headers.vary, "origin");
      const attacker = await callApi("POST", "/session", {
        body: tastingSession,
        headers: { origin: "https://evil.example" },
      });
      assert.equal(attacker.headers["access-control-allow-origin"], undefined);
      for (const answer of [allowed, attacker])
        assert.equal(answer.headers["access-control-allow-credentials"], undefined);
    });

    it("a wildcard allows every origin without credentials; no origins configured sends no CORS header", () => {
      assert.deepEqual(corsHeaders(readCorsOrigins("*"), "https://any.example"), {
        "access-control-allow-origin": "*",
      });
      assert.deepEqual(corsHeaders(readCorsOrigins(undefined), "https://any.example"), {});
    });

    it("refuses a CORS_ORIGINS that is not a list of origins, naming the variable and each bad entry", () => {
      assert.throws(
        () => readCorsOrigins("https://ok.example, https://bad.example/path, ftp://x"),
        /^Error: CORS_ORIGINS: "https:\/\/bad.example\/path", "ftp:\/\/x" are not origins; expected/,
      );
      assert.throws(
        () => readCorsOrigins("*, https://ok.example"),
        /^Error: CORS_ORIGINS: "\*" already allows every origin, so it must stand alone/,
      );
    });
  });

  describe(`the largest session × the largest page stays well under Lambda's ${lambdaResponseLimit} byte response limit`, () => {
    const { session, body } = largestSession();
    // Enough for the byte budget to cut a page of 100 short more than once.
    const copies = 15;

    it("builds the largest session the body limit allows, and every answer about it and its pages fits", async function () {
      assert.ok(
        Buffer.byteLength(body) > limits.bodyBytes * 0.97,
        "the session fills the body limit",
      );
      const result = await post(body);
      assert.equal(result.statusCode, 201, result.body?.slice(0, 300));
      assert.ok(
        responseBytes(result) < responseCeiling,
        `POST answered ${responseBytes(result)} bytes`,
      );
      const created = (JSON.parse(result.body ?? "") as { session: Session }).session;
      // The other copies are written in SQL: the same rows a POST writes, a hundred times faster.
      await query(
        `WITH copy AS (
           INSERT INTO sessions (name, form_name, account_id, user_id) SELECT name, form_name, account_id, user_id FROM sessions, generate_series(2, $2) WHERE id = $1 RETURNING id
         )
         INSERT INTO cuppings (session_id, name, scores, overall_score, descriptors, defects, notes, is_sample)
         SELECT copy.id, name, scores, overall_score, descriptors, defects, notes, is_sample FROM copy, cuppings WHERE session_id = $1`,
        [created.id, copies],
      );
      assert.equal(created?.cuppings.length, limits.cuppingsPerSession);
      assert.deepEqual(
        Object.keys(created?.cuppings[0].scores ?? {}).length,
        Object.keys((session as { cuppings: Array<{ scores: object }> }).cuppings[0].scores).length,
      );

      const read = await get(`/session/${created?.id}`);
      assert.equal(read.statusCode, 200);
      assert.ok(
        responseBytes(read) < responseCeiling,
        `GET /session/{id} answered ${responseBytes(read)} bytes`,
      );

      const seen = new Set<number>();
      let cursor: string | null = null;
      let pages = 0;
      do {
        const page = await get(`/session?limit=100${cursor ? `&cursor=${cursor}` : ""}`);
        assert.equal(page.statusCode, 200);
        assert.ok(
          responseBytes(page) < responseCeiling,
          `a page answered ${responseBytes(page)} bytes`,
        );
        const answer = JSON.parse(page.body ?? "") as {
          sessions: Session[];
          nextCursor: string | null;
        };
        assert.ok(answer.sessions.length > 0);
        for (const listed of answer.sessions) seen.add(listed.id);
        cursor = answer.nextCursor;
        pages += 1;
      } while (cursor);
      assert.equal(seen.size, copies, "paging reaches every session once");
      assert.ok(
        pages > 1,
        "the byte budget cut the page of 100 short, and the cursor continued it",
      );
    });
  });
});
