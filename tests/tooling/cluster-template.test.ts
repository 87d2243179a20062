import { strict as assert } from "node:assert";
import { randomUUID } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Client } from "pg";
import { clusterTemplate } from "../../tooling/local/cluster-template";
import { clientConfig, startPostgresCluster } from "../../tooling/local/postgres-cluster";

describe("the kept initdb result throwaway clusters copy (tooling/local/cluster-template.ts)", () => {
  const work = mkdtempSync(path.join(os.tmpdir(), "cluster-template-"));
  const kept: string[] = [];
  after(() => {
    for (const folder of [work, ...kept]) rmSync(folder, { recursive: true, force: true });
  });

  /** The template for `args`, removed after the suite. */
  async function templateFor(args: object) {
    const template = await clusterTemplate(args);
    assert.ok(template, "the PostgreSQL binaries' package is installed");
    kept.push(template.folder);
    return template;
  }

  /** A folder standing in for initdb's result: a private file inside a private folder. */
  function initialisedFolder(name: string, text: string): string {
    const folder = path.join(work, name);
    mkdirSync(folder, { mode: 0o700 });
    writeFileSync(path.join(folder, "PG_VERSION"), text, { mode: 0o600 });
    return folder;
  }

  it("keeps nothing until a cluster was initialised, and is found again by the same initdb arguments only", async () => {
    const args = { test: "found", nonce: randomUUID() };
    const first = await templateFor(args);
    assert.equal(first.password, undefined);
    await first.keep(initialisedFolder("first", "17\n"), "kept-password");

    assert.equal((await clusterTemplate(args))?.password, "kept-password");
    const other = await templateFor({ ...args, nonce: randomUUID() });
    assert.notEqual(other.folder, first.folder);
    assert.equal(other.password, undefined);
  });

  it("copies the kept folder whole, modes included, and tells the password it was initialised with", async () => {
    const args = { test: "modes", nonce: randomUUID() };
    const keeping = await templateFor(args);
    await keeping.keep(initialisedFolder("modes", "17\n"), "its-password");

    const found = await templateFor(args);
    assert.equal(found.password, "its-password");
    const copy = path.join(work, "copy", "data");
    await found.copyTo(copy);
    assert.equal(readFileSync(path.join(copy, "PG_VERSION"), "utf8"), "17\n");
    assert.equal(statSync(copy).mode & 0o777, 0o700);
    assert.equal(statSync(path.join(copy, "PG_VERSION")).mode & 0o777, 0o600);
    assert.equal(statSync(path.join(found.folder, "password")).mode & 0o777, 0o600);
  });

  it("keeps the first of two clusters initialised at once: the second finds the folder taken", async () => {
    const args = { test: "race", nonce: randomUUID() };
    const [one, two] = await Promise.all([templateFor(args), templateFor(args)]);
    await one.keep(initialisedFolder("one", "first\n"), "first-password");
    await two.keep(initialisedFolder("two", "second\n"), "second-password");

    const found = await templateFor(args);
    assert.equal(found.password, "first-password");
    assert.equal(readFileSync(path.join(found.folder, "data", "PG_VERSION"), "utf8"), "first\n");
  });

  it("starts throwaway clusters as copies of one initdb result, serving connections with its password", async () => {
    const clusters = [await startPostgresCluster({}), await startPostgresCluster({})];
    try {
      const identities = await Promise.all(
        clusters.map(async (cluster) => {
          const client = new Client(clientConfig(cluster.environment("postgres")));
          await client.connect();
          try {
            const { rows } = await client.query<{ id: string; encoding: string }>(
              `SELECT (SELECT system_identifier::text FROM pg_control_system()) AS id,
                      pg_encoding_to_char(encoding) AS encoding FROM pg_database WHERE datname = 'postgres'`,
            );
            return rows[0];
          } finally {
            await client.end();
          }
        }),
      );
      // initdb gives each cluster it makes a system identifier of its own.
      assert.equal(identities[0].id, identities[1].id);
      assert.deepEqual(
        identities.map((identity) => identity.encoding),
        ["UTF8", "UTF8"],
      );
    } finally {
      await Promise.all(clusters.map((cluster) => cluster.dispose()));
    }
  });
});
