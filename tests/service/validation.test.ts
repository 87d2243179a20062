import { strict as assert } from "node:assert";
import {
  callApi,
  createSession,
  query,
  tastingSession,
  useCuppingService,
} from "./cupping-service";

const cupping = tastingSession.cuppings[0];
const sessionCount = async () =>
  Number((await query<{ count: string }>("SELECT count(*) FROM sessions"))[0].count);

/** POSTs `body` and returns the field errors of its 400 answer. */
async function fieldErrors(body: unknown): Promise<Record<string, string>> {
  const answer = await callApi("POST", "/session", { body });
  assert.equal(
    answer.status,
    400,
    `expected 400 for ${JSON.stringify(body)}, got ${answer.status}: ${answer.rawBody}`,
  );
  const errors = answer.body.errors;
  assert.ok(errors && !Array.isArray(errors), `expected field errors, got ${answer.rawBody}`);
  return errors;
}

describe("cupping service: what it refuses, and how it says so", () => {
  useCuppingService();

  describe("bodies that are not a session object", () => {
    // The book's invalid bodies, each sent as JSON text, plus text that is not JSON at all.
    const cases: Array<[string, string | undefined]> = [
      ["null", "null"],
      ["0", "0"],
      ['"stringy"', '"stringy"'],
      ["{}", "{}"],
      ['"" (an empty JSON string)', '""'],
      ["[]", "[]"],
      ['["abc"]', '["abc"]'],
      ["false", "false"],
      ["no body at all", undefined],
      ["an empty body", ""],
      ["text that is not JSON", "{name: 'x'"],
    ];
    for (const [label, body] of cases) {
      it(`answers 400 ["Invalid input data"] for ${label}`, async () => {
        const answer = await callApi("POST", "/session", {
          body,
          headers: { "content-type": "application/json" },
        });
        assert.equal(answer.status, 400);
        assert.deepEqual(answer.body, { errors: ["Invalid input data"] });
      });
    }
  });

  describe("field errors: 400 {errors: {path: what is allowed}}, and nothing stored", () => {
    afterEach(async () => assert.equal(await sessionCount(), 0));

    it("names each missing required field", async () => {
      assert.deepEqual(await fieldErrors({ accountId: 1 }), {
        name: "is required: text of 1 to 127 characters, not blank",
        formName: "is required: text of 1 to 127 characters, not blank",
      });
    });

    it("refuses a 1000-character name, and names blank or too long", async () => {
      const errors = await fieldErrors({
        ...tastingSession,
        name: "x".repeat(1000),
        formName: " \t ",
      });
      assert.deepEqual(errors, {
        name: "must be text of 1 to 127 characters, not blank",
        formName: "must be text of 1 to 127 characters, not blank",
      });
    });

    it("counts characters, not UTF-16 units: 127 emoji fit a name, 128 do not", async () => {
      assert.equal(
        (await createSession({ name: "☕".repeat(127), formName: "😀".repeat(127) })).formName,
        "😀".repeat(127),
      );
      await query("TRUNCATE sessions CASCADE");
      assert.deepEqual(
        Object.keys(await fieldErrors({ name: "😀".repeat(128), formName: "SCA" })),
        ["name"],
      );
    });

    it("refuses text PostgreSQL cannot store (NUL, lone surrogates)", async () => {
      assert.deepEqual(await fieldErrors({ name: "a\u0000b", formName: "\ud800" }), {
        name: "must be valid Unicode text without NUL characters",
        formName: "must be valid Unicode text without NUL characters",
      });
    });

    it("says which field of which cupping is wrong, and what it may be", async () => {
      const errors = await fieldErrors({
        ...tastingSession,
        cuppings: [
          cupping,
          { ...cupping, scores: {}, overallScore: 100.1 },
          { ...cupping, scores: { Aroma: "abc", " ": 3 }, overallScore: 88.55 },
        ],
      });
      assert.deepEqual(errors, {
        "cuppings.1.scores":
          'must be an object of score names to numbers with at least one entry, e.g. {"Aroma": 8.5}',
        "cuppings.1.overallScore":
          "must be a number from 0 to 100 with at most one decimal, e.g. 86.5",
        "cuppings.2.scores.Aroma": "must be a number",
        "cuppings.2.scores. ": "must be text of 1 to 64 characters, not blank",
        "cuppings.2.overallScore":
          "must be a number from 0 to 100 with at most one decimal, e.g. 86.5",
      });
    });

    it("refuses a negative overall score and scores that are not an object", async () => {
      const errors = await fieldErrors({
        ...tastingSession,
        cuppings: [
          { ...cupping, overallScore: -0.1, scores: [8] },
          { name: "No scores", overallScore: 80 },
        ],
      });
      assert.deepEqual(errors, {
        "cuppings.0.overallScore":
          "must be a number from 0 to 100 with at most one decimal, e.g. 86.5",
        "cuppings.0.scores":
          'must be an object of score names to numbers with at least one entry, e.g. {"Aroma": 8.5}',
        "cuppings.1.scores":
          'is required: an object of score names to numbers with at least one entry, e.g. {"Aroma": 8.5}',
      });
    });

    it("refuses ids that are not positive whole numbers, lists with blank items, and long notes", async () => {
      const errors = await fieldErrors({
        ...tastingSession,
        accountId: 0,
        userId: "34",
        cuppings: [
          {
            ...cupping,
            descriptors: ["ok", ""],
            defects: "sour",
            notes: "n".repeat(256),
            isSample: "yes",
          },
        ],
      });
      assert.deepEqual(errors, {
        accountId: "must be a whole number from 1 to 2147483647, or null",
        userId: "must be a whole number from 1 to 2147483647, or null",
        "cuppings.0.descriptors.1": "must be text of 1 to 64 characters, not blank",
        "cuppings.0.defects": "must be a list of texts of 1 to 64 characters, or null",
        "cuppings.0.notes": "must be text of at most 255 characters, or null",
        "cuppings.0.isSample": "must be true or false, or null",
      });
    });

    it("names fields it does not know, such as the snake_case of a known one", async () => {
      const errors = await fieldErrors({
        name: "x",
        form_name: "SCA",
        formName: "SCA",
        cuppings: [{ ...cupping, overall_score: 80 }],
      });
      assert.deepEqual(errors, {
        form_name:
          "is not a field of a session (its fields are name, formName, accountId, userId, cuppings)",
        "cuppings.0.overall_score":
          "is not a field of a cupping (its fields are name, scores, overallScore, descriptors, defects, notes, isSample)",
      });
    });

    it("refuses ids and timestamps, which the database assigns", async () => {
      const errors = await fieldErrors({
        ...tastingSession,
        id: 7,
        created: "2024-01-01T00:00:00.000Z",
      });
      assert.deepEqual(Object.keys(errors), ["id", "created"]);
    });

    it("keeps a field named __proto__ as a field name in its answer", async () => {
      const errors = await fieldErrors(
        JSON.parse('{"name": "x", "formName": "SCA", "__proto__": {"polluted": true}}'),
      );
      assert.ok(Object.hasOwn(errors, "__proto__"));
      assert.equal(({} as Record<string, unknown>).polluted, undefined);
    });
  });

  describe("what is stored is data, never SQL", () => {
    it("stores SQL in the notes verbatim and executes none of it", async () => {
      const notes = "'); DROP TABLE sessions; -- \" \\ $1 %s";
      const name = "Robert'); DELETE FROM cuppings;--";
      const created = await createSession({
        ...tastingSession,
        name,
        cuppings: [{ ...cupping, name, notes }],
      });
      const read = await callApi("GET", `/session/${created.id}`);
      assert.equal(read.body.session?.name, name);
      assert.equal(read.body.session?.cuppings[0].notes, notes);
      assert.deepEqual(await query("SELECT name, notes FROM cuppings"), [{ name, notes }]);
    });
  });

  describe("session ids that could never name a session", () => {
    for (const id of [
      "abc",
      "0",
      "-1",
      "1.5",
      "99999999999999999999",
      "2147483648",
      "1e3",
      "%20",
    ]) {
      it(`answers 404 for GET and DELETE /session/${id}`, async () => {
        for (const method of ["GET", "DELETE"]) {
          const answer = await callApi(method, `/session/${id}`);
          assert.equal(answer.status, 404, `${method} /session/${id}`);
          assert.deepEqual(answer.body, { errors: ["Session not found"] });
        }
      });
    }
  });

  describe("paging parameters", () => {
    for (const search of [
      "limit=0",
      "limit=101",
      "limit=abc",
      "limit=1.5",
      "limit=-1",
      "limit=",
      "limit=5&limit=6",
    ]) {
      it(`answers 400 naming limit for ?${search}`, async () => {
        const answer = await callApi("GET", `/session?${search}`);
        assert.equal(answer.status, 400);
        assert.deepEqual(answer.body, {
          errors: { limit: "must be a whole number from 1 to 100 (default 20)" },
        });
      });
    }

    it("answers 400 naming cursor for a cursor it did not give out", async () => {
      const forged = [
        Buffer.from(JSON.stringify(["yesterday", 1])).toString("base64url"),
        Buffer.from("[1]").toString("base64url"),
        "not-a-cursor",
        "",
      ];
      for (const cursor of forged) {
        const answer = await callApi("GET", `/session?cursor=${encodeURIComponent(cursor)}`);
        assert.equal(answer.status, 400, cursor);
        assert.deepEqual(answer.body, {
          errors: { cursor: "must be the nextCursor of a previous page, unchanged" },
        });
      }
    });

    it("names both when both are wrong", async () => {
      const answer = await callApi("GET", "/session?limit=1000&cursor=x");
      assert.deepEqual(Object.keys(answer.body.errors ?? {}), ["limit", "cursor"]);
    });
  });
});
