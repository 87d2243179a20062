import { strict as assert } from "node:assert";
import {
  readDatabaseSettings,
  type DatabaseSettings,
} from "../../lambdas/cupping/database-settings";
import { connectClient } from "../../lambdas/cupping/database";
import { enableIamSignIn } from "../../lambdas/cupping/master-sign-in";
import { migrateRequestIn } from "../../lambdas/cupping/migrate-handler";
import { testDatabase, type PostgresEnvironment } from "../support/postgres";
import { withClient } from "./cupping-service";

// As on RDS: rds_iam is a plain role, and the master user may grant it through rds_superuser's admin option.
const master = "sign_in_master";
const masterPassword = "the-configured-master-password";

async function rdsLikeServer(environment: PostgresEnvironment): Promise<void> {
  await withClient(environment, async (client) => {
    for (const role of ["rds_iam", "rds_superuser_here"])
      await client.query(
        `DO $$ BEGIN CREATE ROLE ${role} NOLOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$`,
      );
    await client.query("GRANT rds_iam TO rds_superuser_here WITH ADMIN OPTION");
    await client.query(`DROP ROLE IF EXISTS ${master}`);
    await client.query(`CREATE ROLE ${master} LOGIN PASSWORD '${masterPassword}'`);
    await client.query(`GRANT rds_superuser_here TO ${master}`);
  });
}

const isIamUser = (environment: PostgresEnvironment) =>
  withClient(
    environment,
    async (client) =>
      (
        await client.query(
          "SELECT 1 FROM pg_auth_members m JOIN pg_roles r ON r.oid = m.roleid JOIN pg_roles u ON u.oid = m.member WHERE r.rolname = 'rds_iam' AND u.rolname = $1",
          [master],
        )
      ).rowCount === 1,
  );

describe("cupping service: the master user's switch to IAM sign-in", () => {
  let environment: PostgresEnvironment;
  /** The migrator's settings, its "IAM token" standing in as a password this server checks. */
  let signingInWith: (token: string) => DatabaseSettings;

  before(async () => {
    environment = await testDatabase("master_sign_in");
    signingInWith = (token) => ({
      ...readDatabaseSettings({ ...environment, PGUSER: master, PGPASSWORD: undefined }),
      password: { from: "environment", password: token },
    });
  });
  beforeEach(() => rdsLikeServer(environment));

  it("signs in with the password once the token is refused, grants the master user rds_iam, and says so", async () => {
    assert.equal(await isIamUser(environment), false);
    assert.equal(
      await enableIamSignIn(signingInWith("a-token-rds-does-not-take-yet"), masterPassword),
      true,
    );
    assert.equal(await isIamUser(environment), true);
  });

  it("changes nothing when the token already signs in, and never tries the password", async () => {
    // The token signs in (here the server takes it as the password); a wrong password proves it is not used.
    assert.equal(await enableIamSignIn(signingInWith(masterPassword), "not-the-password"), false);
    assert.equal(await isIamUser(environment), false);
  });

  it("fails, granting nothing, when the configured password is refused too", async () => {
    await assert.rejects(
      enableIamSignIn(signingInWith("refused-token"), "a-wrong-password"),
      (error: Error) => !error.message.includes("a-wrong-password"),
    );
    assert.equal(await isIamUser(environment), false);
  });

  it("lets an unreachable server fail the invocation instead of trying the password", async () => {
    let attempts = 0;
    await assert.rejects(
      enableIamSignIn(signingInWith("token"), masterPassword, (settings) => {
        attempts += 1;
        return connectClient({ ...settings, port: 1 });
      }),
      /unavailable/,
    );
    assert.equal(attempts, 1);
  });

  it("reads the request without echoing the password, and refuses one without it", () => {
    assert.deepEqual(migrateRequestIn({ action: "enableIamSignIn", password: "p4ss" }), {
      action: "enableIamSignIn",
      password: "p4ss",
    });
    assert.throws(
      () => migrateRequestIn({ action: "enableIamSignIn", password: "" }),
      /^Error: password is missing \(expected the master password, as text\)$/,
    );
  });
});
