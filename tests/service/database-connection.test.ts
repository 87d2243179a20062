import { strict as assert } from "node:assert";
import { closeDatabase } from "../../lambdas/cupping/handler";
import { DatabaseUnavailable, openDatabase } from "../../lambdas/cupping/database";
import type { DatabaseSecret } from "../../lambdas/cupping/database-secret";
import { readDatabaseSettings, type Environment } from "../../lambdas/cupping/database-settings";
import { signAuthToken } from "../../lambdas/cupping/iam-token";
import { testPostgresCluster } from "../support/postgres";
import {
  startRecordingServer,
  type RecordedRequest,
  type RecordingServer,
  type Reply,
} from "../support/slack-server";
import {
  callApi,
  clearSessions,
  cuppingDatabase,
  query,
  replaceServiceEnvironment,
  tastingSession,
} from "./cupping-service";

const secretArn =
  "arn:aws:secretsmanager:eu-west-1:123456789012:secret:cupping-dev/database-AbCdEf";
const appUser = "cupping_app";
const sslOfThisConnection = {
  name: "test-tls-in-use",
  text: "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()",
};

/** The cupping database's location, without the test superuser's credentials. */
async function location(): Promise<Environment> {
  const { PGHOST, PGPORT, PGDATABASE } = await cuppingDatabase();
  return { PGHOST, PGPORT, PGDATABASE };
}

async function setAppUserPassword(password: string): Promise<void> {
  await query(`DO $$ BEGIN
      IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '${appUser}') THEN CREATE ROLE ${appUser} LOGIN; END IF;
    END $$`);
  await query(`ALTER ROLE ${appUser} PASSWORD '${password}'`);
  await query(`GRANT SELECT, INSERT, UPDATE, DELETE ON sessions, cuppings TO ${appUser}`);
}

describe("cupping service: how it connects to the database", () => {
  before(async () => {
    await cuppingDatabase();
  });

  describe("TLS, as PGSSLMODE asks (against the test server's self-signed certificate)", () => {
    let certificatePath: string | undefined;
    before(async function () {
      certificatePath = (await testPostgresCluster()).certificatePath;
      if (!certificatePath) this.skip();
    });

    /** Whether a connection of the service's pool, opened with these variables, is encrypted. */
    async function encrypted(variables: Environment): Promise<boolean> {
      const database = await openDatabase(
        readDatabaseSettings({ ...(await cuppingDatabase()), ...variables }),
        { onIdleConnectionError: () => undefined },
      );
      try {
        const [row] = await database.query<{ ssl: boolean }>(sslOfThisConnection, []);
        return row.ssl;
      } finally {
        await database.close();
      }
    }

    it("with DB_IAM_SIGN_IN=true: signs in with the IAM token as its password over verify-full, signing once for many connections", async () => {
      const { PGHOST, PGPORT } = await cuppingDatabase();
      const now = new Date("2026-12-01T10:00:00Z");
      const credentials = {
        accessKeyId: "ASIAEXAMPLEKEYID0001",
        secretAccessKey: "example-secret-key",
        sessionToken: "example-session",
      };
      // The server stands in for RDS: the role's password is the token RDS would accept from this signer at this moment.
      const token = signAuthToken(
        { hostname: String(PGHOST), port: Number(PGPORT), region: "eu-west-1", username: appUser },
        credentials,
        now,
      );
      await setAppUserPassword(token.replace(/'/g, "''"));
      let reads = 0;
      const environment = {
        ...(await location()),
        PGUSER: appUser,
        DB_IAM_SIGN_IN: "true",
        AWS_REGION: "eu-west-1",
        PGSSLMODE: "verify-full",
        PGSSLROOTCERT: certificatePath,
      };
      const database = await openDatabase(readDatabaseSettings(environment), {
        onIdleConnectionError: () => undefined,
        awsCredentials: () => (reads++, credentials),
        clock: () => now,
      });
      try {
        const rows = await Promise.all(
          Array.from({ length: 20 }, () =>
            database.query<{ ssl: boolean }>(sslOfThisConnection, []),
          ),
        );
        assert.ok(rows.every(([row]) => row.ssl));
        assert.equal(reads, 1, "signed once, not per connection or request");
      } finally {
        await database.close();
      }
      const wrongMoment = await openDatabase(readDatabaseSettings(environment), {
        onIdleConnectionError: () => undefined,
        awsCredentials: () => credentials,
        clock: () => new Date(now.getTime() + 1000),
      });
      try {
        await assert.rejects(
          wrongMoment.query(sslOfThisConnection, []),
          /password authentication failed|unavailable/,
        );
      } finally {
        await wrongMoment.close();
      }
    });

    it("encrypts with require, and not with disable", async () => {
      assert.equal(await encrypted({ PGSSLMODE: "require" }), true);
      assert.equal(await encrypted({ PGSSLMODE: "disable" }), false);
    });

    it("verifies the server with verify-full or verify-ca and the root certificate in PGSSLROOTCERT", async () => {
      assert.equal(
        await encrypted({ PGSSLMODE: "verify-full", PGSSLROOTCERT: certificatePath }),
        true,
      );
      assert.equal(
        await encrypted({ PGSSLMODE: "verify-ca", PGSSLROOTCERT: certificatePath }),
        true,
      );
    });

    it("refuses a server it cannot verify with verify-full", async () => {
      await assert.rejects(encrypted({ PGSSLMODE: "verify-full" }), {
        code: "DEPTH_ZERO_SELF_SIGNED_CERT",
      });
    });
  });

  describe("a password from a secret, rotated while the service runs", () => {
    it("reads the secret again when the server refuses the kept password, and the query succeeds", async () => {
      await setAppUserPassword("first password");
      let password = "first password";
      const reads: string[] = [];
      const readSecret = async (arn: string): Promise<DatabaseSecret> => {
        reads.push(arn);
        return { username: appUser, password };
      };
      const database = await openDatabase(
        readDatabaseSettings({ ...(await location()), DB_SECRET_ARN: secretArn }),
        { readSecret, onIdleConnectionError: () => undefined },
      );
      try {
        await setAppUserPassword("second password");
        password = "second password";
        const [row] = await database.query<{ user: string }>(
          { name: "test-current-user", text: "SELECT current_user AS user" },
          [],
        );
        assert.equal(row.user, appUser);
        assert.deepEqual(reads, [secretArn, secretArn]);
      } finally {
        await database.close();
      }
    });

    it("answers unavailable, after one more read, when the secret's password stays wrong", async () => {
      await setAppUserPassword("the real one");
      let reads = 0;
      const readSecret = async (): Promise<DatabaseSecret> => {
        reads += 1;
        return { username: appUser, password: "a stale one" };
      };
      const database = await openDatabase(
        readDatabaseSettings({ ...(await location()), DB_SECRET_ARN: secretArn }),
        { readSecret, onIdleConnectionError: () => undefined },
      );
      try {
        await assert.rejects(
          database.query(sslOfThisConnection, []),
          (error: unknown) =>
            error instanceof DatabaseUnavailable &&
            (error.cause as { code?: string }).code === "28P01",
        );
        assert.equal(reads, 2);
      } finally {
        await database.close();
      }
    });
  });

  describe("in AWS Lambda, with the password in Secrets Manager (a stand-in on 127.0.0.1)", () => {
    let secretsManager: RecordingServer;
    let restore: (() => void) | undefined;
    const getSecretValueCalls = () =>
      secretsManager.requests.filter(
        (request) => request.headers["x-amz-target"] === "secretsmanager.GetSecretValue",
      );

    before(async () => {
      await setAppUserPassword("from the secret");
      secretsManager = await startRecordingServer(
        answerGetSecretValue(
          JSON.stringify({ username: appUser, password: "from the secret", engine: "postgres" }),
        ),
      );
      const tls = Boolean((await testPostgresCluster()).certificatePath);
      restore = replaceServiceEnvironment({
        ...(await location()),
        // Unset with TLS on the server: Lambda's default must then be an encrypted connection.
        ...(tls ? {} : { PGSSLMODE: "disable" }),
        AWS_LAMBDA_FUNCTION_NAME: "cupping-api",
        DB_SECRET_ARN: secretArn,
        AWS_REGION: "eu-west-1",
        AWS_ACCESS_KEY_ID: "AKIAIOSFODNN7EXAMPLE",
        AWS_SECRET_ACCESS_KEY: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        AWS_ENDPOINT_URL_SECRETS_MANAGER: secretsManager.origin,
        // The SDK warns about Node 20 once per process; the Lambda runtime here is nodejs22.x.
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
      });
      await clearSessions();
    });

    after(async () => {
      await closeDatabase();
      restore?.();
      await secretsManager?.close();
    });

    it("reads the secret once per cold start, connects as the secret's user, encrypted, and serves every request", async () => {
      const created = await callApi("POST", "/session", { body: tastingSession });
      assert.equal(created.status, 201, created.rawBody);
      assert.equal((await callApi("GET", `/session/${created.body.session?.id}`)).status, 200);
      assert.equal((await callApi("GET", "/session")).status, 200);
      assert.deepEqual(
        getSecretValueCalls().map((request) => JSON.parse(request.body) as unknown),
        [{ SecretId: secretArn }],
      );
      const connections = await query<{ ssl: boolean }>(
        "SELECT ssl FROM pg_stat_activity JOIN pg_stat_ssl USING (pid) WHERE usename = $1 AND application_name = 'cupping'",
        [appUser],
      );
      assert.equal(connections.length, 1, "one connection per container");
      assert.equal(connections[0].ssl, Boolean((await testPostgresCluster()).certificatePath));
    });
  });
});

/** Secrets Manager's GetSecretValue as the SDK speaks it (AWS JSON 1.1), for the one secret this test uses. */
function answerGetSecretValue(secretString: string) {
  return (request: RecordedRequest): Reply => {
    const input = JSON.parse(request.body || "{}") as { SecretId?: string };
    const found =
      request.headers["x-amz-target"] === "secretsmanager.GetSecretValue" &&
      input.SecretId === secretArn;
    const body = found
      ? {
          ARN: secretArn,
          Name: "cupping-dev/database",
          SecretString: secretString,
          VersionId: "c0ffee00-0000-4000-8000-000000000001",
        }
      : {
          __type: "ResourceNotFoundException",
          message: "Secrets Manager can't find the specified secret.",
        };
    return {
      status: found ? 200 : 400,
      headers: { "content-type": "application/x-amz-json-1.1" },
      body: JSON.stringify(body),
    };
  };
}
