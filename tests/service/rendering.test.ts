import { strict as assert } from "node:assert";
import { pageBody } from "../../lambdas/cupping/page";
import type { Cupping, NewCupping, NewSession, Session } from "../../lambdas/cupping/session";
import { callApi, createSession, query, useCuppingService } from "./cupping-service";

/**
 * The database writes the answers' JSON; these check its text, byte for byte, against JSON.stringify of the session
 * built here from what was written (fields in the documented order), as the service answered before.
 */

/** Scores in the order jsonb keeps them (shorter keys first, then by bytes), which JSON.parse gave back. */
const inJsonbOrder = (scores: Readonly<Record<string, number>>) =>
  Object.fromEntries(
    Object.entries(scores).sort(
      ([a], [b]) =>
        Buffer.byteLength(a) - Buffer.byteLength(b) ||
        Buffer.compare(Buffer.from(a), Buffer.from(b)),
    ),
  );

/** The session as JSON.stringify writes it: its fields in the documented order, `stored` giving ids and times. */
function expectedSession(written: NewSession, stored: Session): Session {
  return {
    id: stored.id,
    created: stored.created,
    updated: stored.updated,
    name: written.name,
    formName: written.formName,
    accountId: written.accountId,
    userId: written.userId,
    cuppings: written.cuppings.map((cupping: NewCupping, index): Cupping => ({
      id: stored.cuppings[index].id,
      sessionId: stored.id,
      created: stored.cuppings[index].created,
      updated: stored.cuppings[index].updated,
      name: cupping.name,
      scores: inJsonbOrder(cupping.scores),
      overallScore: cupping.overallScore,
      descriptors: cupping.descriptors,
      defects: cupping.defects,
      notes: cupping.notes,
      isSample: cupping.isSample,
    })),
  };
}

/** Text that JSON escapes, or that PostgreSQL and JavaScript could escape differently. */
const awkwardText =
  'quote " back\\slash \u0001\u001f\u007f \u2028\u2029 </script> ☕ 𝄞 é\n\t\r\b\f';

const awkwardSession: NewSession = {
  name: awkwardText.slice(0, 60),
  formName: "SCA",
  accountId: 2_147_483_647,
  userId: null,
  cuppings: [
    {
      name: "Numbers",
      // JavaScript's own forms: an exponent below 1e-6, the shortest digits, 0 for -0; and keys it lists first.
      scores: Object.fromEntries([
        ["Aroma", 8.5],
        ["Flavor", 87.25],
        ["Tiny", 1e-7],
        ["Tinier", 2.5e-12],
        ["Smallest", 5e-324],
        ["Sum", 0.1 + 0.2],
        ["Third", 1 / 3],
        ["Edge", 0.000001],
        ["Low", -100],
        ["Zero", -0],
        ["10", 1],
        ["9", 2],
        ["01", 3],
        ["__proto__", 4],
        ['a": 1, "b', 5],
        ["ends with, ", 6],
        [awkwardText.slice(0, 40), 7],
      ]),
      overallScore: 86.5,
      descriptors: ["NULL", "a,b", "{x}", '"q"', awkwardText.slice(0, 30)],
      defects: [],
      notes: awkwardText,
      isSample: true,
    },
    {
      name: "Plain",
      scores: { Body: 7 },
      overallScore: 100,
      descriptors: [],
      defects: ["earthy"],
      notes: null,
      isSample: false,
    },
  ],
};

describe("cupping service: the JSON text of its answers", () => {
  useCuppingService();

  it("answers POST, GET by id and GET /session with the text JSON.stringify writes, for awkward text and numbers", async () => {
    const created = await callApi("POST", "/session", { body: awkwardSession });
    assert.equal(created.status, 201, created.rawBody);
    const stored = created.body.session as Session;
    const expected = JSON.stringify({ session: expectedSession(awkwardSession, stored) });
    assert.equal(created.rawBody, expected);
    assert.ok(expected.includes('"Tiny":1e-7,'), "an exponent, as JavaScript writes it");
    assert.ok(expected.includes('"scores":{"9":2,"10":1,'), "array-index keys first, ascending");

    const read = await callApi("GET", `/session/${stored.id}`);
    assert.equal(read.rawBody, expected);
    const listed = await callApi("GET", "/session");
    assert.equal(
      listed.rawBody,
      `{"sessions":[${expected.slice('{"session":'.length, -1)}],"nextCursor":null}`,
    );
  });

  it("answers a session without cuppings, and with its optional fields left out, as before", async () => {
    const written = { name: "Empty table", formName: "SCA", accountId: null, userId: null };
    const stored = await createSession(written);
    const read = await callApi("GET", `/session/${stored.id}`);
    assert.equal(
      read.rawBody,
      JSON.stringify({ session: expectedSession({ ...written, cuppings: [] }, stored) }),
    );
    assert.match(read.rawBody ?? "", /"accountId":null,"userId":null,"cuppings":\[\]\}\}$/);
  });

  it("writes numbers stored by a writer that bypassed the API as JSON.parse then JSON.stringify would", async () => {
    const [{ id }] = await query<{ id: number }>(
      "INSERT INTO sessions (name, form_name) VALUES ('By SQL', 'SCA') RETURNING id",
    );
    await query(
      `INSERT INTO cuppings (session_id, name, scores, overall_score) VALUES
        ($1, 'Scale', '{"Aroma": 8.50, "Flavor": 1E+1, "Body": 0.0000001, "Acidity": 87.250, "Sweet": 100.0, "Long": 0.10000000000000000555, "Huge": 1e400, "Wee": -1e-400, "7": 1}', 87.50),
        ($1, 'Whole', '{"Aroma": 8}', 100.0)`,
      [id],
    );
    const read = await callApi("GET", `/session/${id}`);
    assert.equal(read.status, 200);
    const cuppings = (read.rawBody ?? "").split('"scores":').slice(1);
    assert.match(
      cuppings[0],
      /^\{"7":1,"Wee":0,"Body":1e-7,"Huge":null,"Long":0\.1,"Aroma":8\.5,"Sweet":100,"Flavor":10,"Acidity":87\.25\},"overallScore":87\.5,/,
    );
    assert.match(cuppings[1], /^\{"Aroma":8\},"overallScore":100,/);
  });

  describe("a page's byte budget", () => {
    const session = (id: number, json: string) => ({
      id,
      created: `2024-05-01T09:30:00.00${id}Z`,
      json,
    });
    // Each 10 bytes of JSON and a comma; "é" is one character but two bytes.
    const sessions = [session(3, '"aaaaaaaa"'), session(2, '"éééé"'), session(1, '"cccccccc"')];

    it("ends the page before the session that would pass it, counting UTF-8 bytes, with a cursor after the last one kept", () => {
      const body = pageBody({ sessions, more: false }, 22);
      const answer = JSON.parse(body) as { sessions: string[]; nextCursor: string };
      assert.deepEqual(answer.sessions, ["aaaaaaaa", "éééé"]);
      assert.deepEqual(JSON.parse(Buffer.from(answer.nextCursor, "base64url").toString()), [
        sessions[1].created,
        2,
      ]);
      assert.equal(pageBody({ sessions, more: false }, 21).split("é").length, 1, "one byte less");
    });

    it("keeps a first session larger than the budget, and ends without a cursor when nothing more follows", () => {
      assert.deepEqual(JSON.parse(pageBody({ sessions, more: false }, 5)).sessions, ["aaaaaaaa"]);
      assert.equal(JSON.parse(pageBody({ sessions, more: false }, 33)).nextCursor, null);
      assert.notEqual(JSON.parse(pageBody({ sessions, more: true }, 33)).nextCursor, null);
    });
  });
});
