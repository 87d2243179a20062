import { strict as assert } from "node:assert";
import { databaseSecretIn } from "../../lambdas/cupping/database-secret";
import {
  defaultFunctionTimeoutSeconds,
  readDatabaseSettings,
} from "../../lambdas/cupping/database-settings";
import { databaseTimeouts } from "../../lambdas/cupping/timeouts";

const local = {
  PGHOST: "127.0.0.1",
  PGDATABASE: "cupping",
  PGUSER: "cupping",
  PGPASSWORD: "local-only",
};
const lambda = {
  AWS_LAMBDA_FUNCTION_NAME: "cupping-api",
  PGHOST: "db.internal",
  PGDATABASE: "cupping",
  DB_SECRET_ARN: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:cupping-db-AbCdEf",
};
const secretArn = lambda.DB_SECRET_ARN;

describe("cupping service: database settings from the environment", () => {
  it("reads the libpq variables, with PGPORT 5432 and a plain connection by default", () => {
    assert.deepEqual(readDatabaseSettings(local), {
      host: "127.0.0.1",
      port: 5432,
      database: "cupping",
      user: "cupping",
      password: { from: "environment", password: "local-only" },
      ssl: false,
      poolSize: 10,
      timeouts: databaseTimeouts(defaultFunctionTimeoutSeconds),
    });
  });

  it("derives the database timeouts from FUNCTION_TIMEOUT_SECONDS, and names it when it is not a timeout", () => {
    assert.deepEqual(readDatabaseSettings({ ...local, FUNCTION_TIMEOUT_SECONDS: "10" }).timeouts, {
      connectMs: 3000,
      queryMs: 6000,
      statementMs: 5500,
    });
    assert.throws(
      () => readDatabaseSettings({ ...local, FUNCTION_TIMEOUT_SECONDS: "ten" }),
      /FUNCTION_TIMEOUT_SECONDS is "ten" \(expected the function's timeout, a whole number of seconds from 1 to 900/,
    );
  });

  it("names every missing or wrong variable in one error", () => {
    assert.throws(
      () => readDatabaseSettings({ PGPORT: "80000", PGSSLMODE: "prefer" }),
      (error: Error) =>
        [
          "PGHOST is not set",
          "PGDATABASE is not set",
          'PGPORT is "80000"',
          "PGUSER is not set",
          'PGSSLMODE is "prefer" (expected one of disable, require, verify-ca, verify-full',
        ].every((part) => error.message.includes(part)),
    );
  });

  it("in Lambda: takes the password from the secret, keeps one connection, and encrypts unless told otherwise", () => {
    const settings = readDatabaseSettings(lambda);
    assert.deepEqual(settings.password, { from: "secret", secretArn });
    assert.equal(settings.user, undefined, "the secret's username is used");
    assert.equal(settings.poolSize, 1);
    assert.deepEqual(settings.ssl, { rejectUnauthorized: false });
  });

  it("in Lambda: refuses a password in the environment, and requires the secret", () => {
    assert.throws(
      () => readDatabaseSettings({ ...lambda, PGPASSWORD: "leaked" }),
      /PGPASSWORD is set \(in AWS Lambda the password must come from the secret/,
    );
    assert.throws(
      () => readDatabaseSettings({ ...lambda, DB_SECRET_ARN: undefined, PGUSER: "cupping" }),
      /DB_SECRET_ARN is not set/,
    );
  });

  it("in Lambda with DB_IAM_SIGN_IN=true: signs in as PGUSER with an IAM token for AWS_REGION, over verify-full TLS, with no secret", () => {
    const api = {
      ...lambda,
      DB_SECRET_ARN: undefined,
      DB_IAM_SIGN_IN: "true",
      PGUSER: "cupping_api",
      AWS_REGION: "eu-west-1",
      PGSSLMODE: "verify-full",
    };
    const settings = readDatabaseSettings(api);
    assert.deepEqual(
      [settings.user, settings.password, settings.ssl],
      ["cupping_api", { from: "iam-token", region: "eu-west-1" }, { rejectUnauthorized: true }],
    );
    const refused = (env: Record<string, string | undefined>, pattern: RegExp) =>
      assert.throws(() => readDatabaseSettings({ ...api, ...env }), pattern);
    refused(
      { PGSSLMODE: "require" },
      /PGSSLMODE is "require" \(expected verify-full with DB_IAM_SIGN_IN=true\)/,
    );
    refused({ DB_SECRET_ARN: secretArn }, /DB_SECRET_ARN and DB_IAM_SIGN_IN=true are both set/);
    refused(
      { PGUSER: undefined },
      /PGUSER is not set \(expected, with DB_IAM_SIGN_IN=true, the database user/,
    );
    refused({ AWS_REGION: undefined }, /AWS_REGION is not set/);
    refused(
      { DB_IAM_SIGN_IN: "yes" },
      /DB_IAM_SIGN_IN is "yes" \(expected true or false, default false\)/,
    );
    refused({ PGPASSWORD: "leaked" }, /PGPASSWORD is set/);
  });

  it("turns each libpq sslmode into TLS options that really encrypt, and verify as libpq does", () => {
    const ssl = (PGSSLMODE: string) => readDatabaseSettings({ ...local, PGSSLMODE }).ssl;
    assert.equal(ssl("disable"), false);
    assert.deepEqual(ssl("require"), { rejectUnauthorized: false });
    const verifyCa = ssl("verify-ca");
    assert.ok(
      verifyCa &&
        verifyCa.rejectUnauthorized === true &&
        typeof verifyCa.checkServerIdentity === "function",
    );
    assert.deepEqual(ssl("verify-full"), { rejectUnauthorized: true });
  });

  it("names a root certificate file it cannot read", () => {
    assert.throws(
      () =>
        readDatabaseSettings({
          ...local,
          PGSSLMODE: "verify-full",
          PGSSLROOTCERT: "/nonexistent/rds-ca.pem",
        }),
      /PGSSLROOTCERT is "\/nonexistent\/rds-ca.pem", which cannot be read/,
    );
  });
});

describe("cupping service: the database secret's contents", () => {
  it("takes the password, and the username when there is one (an RDS-managed master secret)", () => {
    assert.deepEqual(
      databaseSecretIn('{"username":"cupping_admin","password":"s3cret!"}', secretArn),
      { username: "cupping_admin", password: "s3cret!" },
    );
    assert.deepEqual(databaseSecretIn('{"password":"s3cret!","engine":"postgres"}', secretArn), {
      password: "s3cret!",
    });
  });

  it("says what is wrong and which secret, never what the secret holds", () => {
    const cases: Array<[string | undefined, RegExp]> = [
      ["hunter2-not-json", /does not hold JSON/],
      ['{"pass":"hunter2-typo"}', /has no "password" text/],
      ['{"password":"hunter2-ok","username":42}', /has a "username" that is not text/],
      [undefined, /does not hold JSON/],
    ];
    for (const [secretString, expected] of cases) {
      assert.throws(
        () => databaseSecretIn(secretString, secretArn),
        (error: Error) =>
          expected.test(error.message) &&
          error.message.includes(secretArn) &&
          !error.message.includes("hunter2"),
      );
    }
  });
});
