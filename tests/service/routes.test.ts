import { strict as assert } from "node:assert";
import { handler } from "../../lambdas/cupping/handler";
import { payloadV2Event } from "../../tooling/local/http-adapter";
import {
  callApi,
  createSession,
  query,
  tastingSession,
  useCuppingService,
  withoutStoredFields,
} from "./cupping-service";

describe("cupping service: the routes, through the Lambda handler, against PostgreSQL", () => {
  useCuppingService();

  describe("POST /session", () => {
    it("answers 201 with the session as stored: ids, timestamps, every field, and its cuppings with their ids", async () => {
      const answer = await callApi("POST", "/session", { body: tastingSession });
      assert.equal(answer.status, 201);
      const session = answer.body.session;
      assert.ok(session);
      assert.deepEqual(withoutStoredFields(session), tastingSession);
      assert.ok(Number.isInteger(session.id) && session.id > 0);
      assert.equal(answer.headers.location, `/session/${session.id}`);
      assert.match(session.created, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      assert.equal(session.cuppings.length, 2);
      for (const cupping of session.cuppings) {
        assert.equal(cupping.sessionId, session.id);
        assert.ok(Number.isInteger(cupping.id) && cupping.id > 0);
      }
      assert.ok(
        session.cuppings[0].id < session.cuppings[1].id,
        "cuppings keep the order they were sent in",
      );
    });

    it("fills what a client may leave out: no ids, no cuppings, no lists, no notes, not a sample", async () => {
      const session = await createSession({
        name: "Quick check",
        formName: "SCA",
        cuppings: [{ name: "Lot 7", scores: { Flavor: 7 }, overallScore: 70 }],
      });
      assert.deepEqual(withoutStoredFields(session), {
        name: "Quick check",
        formName: "SCA",
        accountId: null,
        userId: null,
        cuppings: [
          {
            name: "Lot 7",
            scores: { Flavor: 7 },
            overallScore: 70,
            descriptors: [],
            defects: [],
            notes: null,
            isSample: false,
          },
        ],
      });
    });

    it("reads a body API Gateway base64-encoded", async () => {
      const event = payloadV2Event({
        method: "POST",
        url: "/session",
        body: JSON.stringify({ name: "Encoded", formName: "SCA" }),
        headers: { "content-type": "application/json" },
      });
      const result = await handler({
        ...event,
        body: Buffer.from(event.body ?? "").toString("base64"),
        isBase64Encoded: true,
      });
      assert.equal(result.statusCode, 201, result.body);
      assert.equal(
        (JSON.parse(result.body ?? "{}") as { session: { name: string } }).session.name,
        "Encoded",
      );
    });
  });

  describe("GET /session/{id}", () => {
    it("answers 200 with the session and its cuppings, as POST answered", async () => {
      const created = await createSession(tastingSession);
      const answer = await callApi("GET", `/session/${created.id}`);
      assert.equal(answer.status, 200);
      assert.deepEqual(answer.body, { session: created });
    });

    it("reads a session that has no cuppings (the book could not)", async () => {
      const created = await createSession({ name: "Empty table", formName: "SCA" });
      const answer = await callApi("GET", `/session/${created.id}`);
      assert.equal(answer.status, 200);
      assert.deepEqual(answer.body.session?.cuppings, []);
    });

    it("answers 404 with errors for an id no session has", async () => {
      const answer = await callApi("GET", "/session/424242");
      assert.equal(answer.status, 404);
      assert.deepEqual(answer.body, { errors: ["Session not found"] });
    });
  });

  describe("DELETE /session/{id}", () => {
    it("answers 204 and the session and its cuppings are gone (the book's DELETE deleted nothing)", async () => {
      const kept = await createSession(tastingSession);
      const deleted = await createSession(tastingSession);
      const answer = await callApi("DELETE", `/session/${deleted.id}`);
      assert.equal(answer.status, 204);
      assert.equal(answer.rawBody, undefined);
      assert.equal((await callApi("GET", `/session/${deleted.id}`)).status, 404);
      const left = await query<{ session_id: number }>("SELECT session_id FROM cuppings");
      assert.deepEqual(
        left.map((row) => row.session_id),
        [kept.id, kept.id],
      );
    });

    it("answers 404 for a session that does not exist, or no longer does", async () => {
      const session = await createSession({ name: "Once", formName: "SCA" });
      assert.equal((await callApi("DELETE", `/session/${session.id}`)).status, 204);
      const again = await callApi("DELETE", `/session/${session.id}`);
      assert.equal(again.status, 404);
      assert.deepEqual(again.body, { errors: ["Session not found"] });
    });
  });

  describe("GET /session", () => {
    it("answers 200 with an empty list when there are no sessions", async () => {
      const answer = await callApi("GET", "/session");
      assert.equal(answer.status, 200);
      assert.deepEqual(answer.body, { sessions: [], nextCursor: null });
    });

    it("lists sessions newest first, with their cuppings", async () => {
      const first = await createSession(tastingSession);
      const second = await createSession({ name: "Later", formName: "SCA" });
      const answer = await callApi("GET", "/session");
      assert.equal(answer.status, 200);
      assert.deepEqual(answer.body, { sessions: [second, first], nextCursor: null });
    });

    it("pages with limit and cursor, every session once, until nextCursor is null", async () => {
      const created = [];
      for (let index = 0; index < 7; index += 1)
        created.push(await createSession({ name: `Session ${index}`, formName: "SCA" }));
      const seen: number[] = [];
      const pages: number[] = [];
      let url = "/session?limit=3";
      for (;;) {
        const answer = await callApi("GET", url);
        assert.equal(answer.status, 200, answer.rawBody);
        const sessions = answer.body.sessions ?? [];
        pages.push(sessions.length);
        seen.push(...sessions.map((session) => session.id));
        if (!answer.body.nextCursor) break;
        url = `/session?limit=3&cursor=${encodeURIComponent(answer.body.nextCursor)}`;
      }
      assert.deepEqual(pages, [3, 3, 1]);
      assert.deepEqual(seen, created.map((session) => session.id).reverse());
    });
  });

  describe("anything else", () => {
    it("answers 404 for a path that is no route", async () => {
      for (const path of ["/", "/sessions", "/session/1/cuppings"]) {
        const answer = await callApi("GET", path);
        assert.equal(answer.status, 404, path);
        assert.ok(Array.isArray(answer.body.errors), path);
      }
    });

    it("answers 405 with the allowed methods for a route called with the wrong method", async () => {
      const collection = await callApi("PUT", "/session", { body: tastingSession });
      assert.equal(collection.status, 405);
      assert.equal(collection.headers.allow, "GET, POST, OPTIONS");
      const item = await callApi("POST", "/session/1", { body: tastingSession });
      assert.equal(item.status, 405);
      assert.equal(item.headers.allow, "GET, DELETE, OPTIONS");
      assert.ok(Array.isArray(item.body.errors));
    });

    it("answers a browser's preflight with the methods and headers the route takes", async () => {
      const preflight = await callApi("OPTIONS", "/session", {
        headers: { origin: "https://cupping.example", "access-control-request-method": "POST" },
      });
      assert.equal(preflight.status, 204);
      assert.equal(preflight.headers["access-control-allow-methods"], "GET, POST, OPTIONS");
      assert.match(preflight.headers["access-control-allow-headers"], /Content-Type/);
    });

    it("routes the same under a named stage, whose name API Gateway puts before the path", async () => {
      const created = await callApi("POST", "/session", {
        body: { name: "Staged", formName: "SCA" },
        stage: "dev",
      });
      assert.equal(created.status, 201);
      const read = await callApi("GET", `/session/${created.body.session?.id}`, { stage: "dev" });
      assert.equal(read.status, 200);
      assert.equal(read.body.session?.name, "Staged");
    });
  });
});
