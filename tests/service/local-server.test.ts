import { strict as assert } from "node:assert";
import { execFile } from "node:child_process";
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { closeDatabase } from "../../lambdas/cupping/handler";
import type { Session } from "../../lambdas/cupping/session";
import { startLocalService, type LocalService } from "../../scripts/local";
import { replaceServiceEnvironment } from "./service-environment";

/** The README's example body. */
const documentedBody =
  '{"name": "Morning table", "formName": "SCA", "cuppings": [{"name": "Kenya AA", "scores": {"Aroma": 8.5, "Flavor": 8.25}, "overallScore": 87.5}]}';

/** POSTs like the README's `curl -H 'content-type: application/json' -d <body> <url>` does. */
const curlPost = (url: string, body: string) =>
  fetch(url, { method: "POST", body, headers: { "content-type": "application/json" } });

describe("npm run local: the API over HTTP on 127.0.0.1, on an embedded PostgreSQL that keeps its data", () => {
  let folder: string;
  let local: LocalService | undefined;
  let restore: () => void;
  // Its own PostgreSQL, not the test run's shared one: the tests stop and start it, and its data folder must survive
  // that (not a crash, so it need not write through to disk).
  const start = async () =>
    (local = await startLocalService({
      dataDir: path.join(folder, "postgres"),
      port: 0,
      durable: false,
    }));

  before(async () => {
    folder = mkdtempSync(path.join(os.tmpdir(), "cupping-local-"));
    // PostgreSQL runs as its own user, which must reach the data folder inside.
    chmodSync(folder, 0o755);
    await closeDatabase();
    restore = replaceServiceEnvironment({});
    await start();
  });
  after(async () => {
    await local?.stop();
    restore();
    rmSync(folder, { recursive: true, force: true });
  });

  it("answers the documented curl POST with 201 and the session, and no CORS header when no origin is configured", async () => {
    const response = await curlPost(`${local?.origin}/session`, documentedBody);
    assert.equal(response.status, 201);
    assert.equal(response.headers.get("content-type"), "application/json");
    assert.equal(response.headers.get("access-control-allow-origin"), null);
    const { session } = (await response.json()) as { session: Session };
    assert.equal(session.cuppings[0].overallScore, 87.5);
  });

  it("serves every route, and 404 and 405, over HTTP", async () => {
    const created = (await (await curlPost(`${local?.origin}/session`, documentedBody)).json()) as {
      session: Session;
    };
    const read = await fetch(`${local?.origin}/session/${created.session.id}`);
    assert.deepEqual(await read.json(), created);
    const page = await fetch(`${local?.origin}/session?limit=1`);
    assert.equal(((await page.json()) as { sessions: Session[] }).sessions.length, 1);
    const deleted = await fetch(`${local?.origin}/session/${created.session.id}`, {
      method: "DELETE",
    });
    assert.equal(deleted.status, 204);
    assert.equal(await deleted.text(), "");
    assert.equal((await fetch(`${local?.origin}/nowhere`)).status, 404);
    const wrongMethod = await fetch(`${local?.origin}/session`, { method: "PUT" });
    assert.equal(wrongMethod.status, 405);
    assert.equal(wrongMethod.headers.get("allow"), "GET, POST, OPTIONS");
  });

  it("works with curl itself, where curl is installed", async function () {
    const curl = await promisify(execFile)("curl", ["--version"]).catch(() => undefined);
    if (!curl) this.skip();
    const { stdout } = await promisify(execFile)("curl", [
      "-s",
      "-X",
      "POST",
      `${local?.origin}/session`,
      "-H",
      "content-type: application/json",
      "-d",
      documentedBody,
    ]);
    assert.equal((JSON.parse(stdout) as { session: Session }).session.name, "Morning table");
  });

  it("keeps the data when stopped and started again", async () => {
    const before = (await (await fetch(`${local?.origin}/session?limit=100`)).json()) as {
      sessions: Session[];
    };
    assert.ok(before.sessions.length > 0);
    await local?.stop();
    local = undefined;
    const restarted = await start();
    const after = (await (await fetch(`${restarted.origin}/session?limit=100`)).json()) as {
      sessions: Session[];
    };
    assert.deepEqual(after, before);
  });
});
