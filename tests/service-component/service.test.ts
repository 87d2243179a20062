import { strict as assert } from "node:assert";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { cuppingRoutes, routeAuthorization } from "../../components/service/routes";
import {
  descendantsOf,
  plainStrings,
  resourcesOfType,
  programRun,
  secretConfigValues,
  stackRegion,
  theResource,
} from "../support/harness";
import {
  isSecretValue,
  reveal,
  runProgram,
  type CapturedResource,
  type ProgramRun,
} from "../../tooling/mocks/program-run";
import { projectRoot } from "../../tooling/mocks/stack-config";
import { dependenciesOf, stateOf } from "./support";

const t = {
  service: "pipelines:service:CuppingService",
  key: "aws:kms/key:Key",
  instance: "aws:rds/instance:Instance",
  cluster: "aws:rds/cluster:Cluster",
  clusterInstance: "aws:rds/clusterInstance:ClusterInstance",
  clusterParameterGroup: "aws:rds/clusterParameterGroup:ClusterParameterGroup",
  subnetGroup: "aws:rds/subnetGroup:SubnetGroup",
  parameterGroup: "aws:rds/parameterGroup:ParameterGroup",
  vpc: "aws:ec2/vpc:Vpc",
  subnet: "aws:ec2/subnet:Subnet",
  securityGroup: "aws:ec2/securityGroup:SecurityGroup",
  ingress: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
  egress: "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
  endpoint: "aws:ec2/vpcEndpoint:VpcEndpoint",
  secret: "aws:secretsmanager/secret:Secret",
  secretVersion: "aws:secretsmanager/secretVersion:SecretVersion",
  function: "aws:lambda/function:Function",
  invocation: "aws:lambda/invocation:Invocation",
  rolePolicy: "aws:iam/rolePolicy:RolePolicy",
  logGroup: "aws:cloudwatch/logGroup:LogGroup",
  route: "aws:apigatewayv2/route:Route",
  integration: "aws:apigatewayv2/integration:Integration",
  stage: "aws:apigatewayv2/stage:Stage",
  alarm: "aws:cloudwatch/metricAlarm:MetricAlarm",
} as const;

// What each stack's file asks of the service (dev small, disposable and paused while idle; production safe), and dev
// on an RDS instance, the path a stack that sets dbEngine to postgres and keeps its password in config takes.
const safetyOff = { deletionProtection: false, skipFinalSnapshot: true, backupRetentionPeriod: 1 };
const devService = {
  memoryMb: 256,
  logDays: 14,
  throttle: { throttlingRateLimit: 20, throttlingBurstLimit: 40 },
  corsOrigins: ["http://localhost:5173"],
  deploymentConfig: "CodeDeployDefault.LambdaAllAtOnce",
  customerKey: false,
  migratorSignIn: "iam",
  endpointSubnets: 0,
} as const;
const stacks = {
  dev: {
    stack: "dev",
    edit: {},
    engine: "aurora-serverless-v2",
    instanceClass: "db.serverless",
    safety: safetyOff,
    writer: { performanceInsightsEnabled: false },
    ...devService,
  },
  "dev on an RDS instance": {
    stack: "dev",
    edit: { "pipelines:dbEngine": "postgres", "pipelines:dbInstanceClass": "db.t4g.micro" },
    engine: "postgres",
    instanceClass: "db.t4g.micro",
    safety: { ...safetyOff, multiAz: false },
    writer: { performanceInsightsEnabled: false },
    ...devService,
  },
  production: {
    stack: "production",
    edit: {},
    engine: "postgres",
    instanceClass: "db.t4g.small",
    safety: {
      multiAz: true,
      deletionProtection: true,
      skipFinalSnapshot: false,
      backupRetentionPeriod: 14,
    },
    writer: { performanceInsightsEnabled: true },
    memoryMb: 512,
    logDays: 90,
    throttle: { throttlingRateLimit: 100, throttlingBurstLimit: 200 },
    corsOrigins: [],
    deploymentConfig: "CodeDeployDefault.LambdaCanary10Percent5Minutes",
    customerKey: true,
    migratorSignIn: "secret",
    endpointSubnets: 2,
  },
} as const;

/** The service's own resources (the whole program holds other components too). */
function serviceResources(run: ProgramRun): CapturedResource[] {
  return descendantsOf(run, theResource(run, t.service));
}
const one = (resources: readonly CapturedResource[], type: string, nameSuffix = "") => {
  const found = resources.filter((r) => r.type === type && r.name.endsWith(nameSuffix));
  assert.equal(
    found.length,
    1,
    `one ${type} *${nameSuffix}: ${found.map((r) => r.name).join(", ")}`,
  );
  return found[0];
};
const all = (resources: readonly CapturedResource[], type: string) =>
  resources.filter((r) => r.type === type);

for (const [variant, expected] of Object.entries(stacks)) {
  const stack = variant;
  describe(`the cupping service on ${variant}, under mocks`, () => {
    const region = stackRegion(expected.stack);
    let run: ProgramRun;
    let service: CapturedResource[];
    const id = (resource: CapturedResource) => stateOf(run, resource).id;
    const arn = (resource: CapturedResource) => String(stateOf(run, resource).state.arn);

    before(async () => {
      run = await programRun(expected.stack, expected.edit);
      service = serviceResources(run);
    });
    const aurora = expected.engine === "aurora-serverless-v2";
    /** The instance, or the cluster: what holds the data, the credentials and the network settings. */
    const database = () => one(service, aurora ? t.cluster : t.instance);
    /** What runs PostgreSQL: the instance, or the cluster's writer. */
    const writer = () => one(service, aurora ? t.clusterInstance : t.instance);
    const address = () => stateOf(run, database()).state[aurora ? "endpoint" : "address"] as string;
    /** [policy name, resource] of every statement of the service's role policies that allows `action`. */
    const grantsOf = (action: string) =>
      all(service, t.rolePolicy).flatMap((policy) =>
        (
          JSON.parse(String(policy.inputs.policy)).Statement as Array<{
            Action: string[];
            Resource: string;
          }>
        )
          .filter((statement) => statement.Action.includes(action))
          .map((statement) => [policy.name, statement.Resource]),
      );

    it("is one CuppingService whose resources all carry its name", () => {
      assert.ok(service.length > 30);
      for (const r of service) assert.match(r.name, /^cupping-/);
    });

    it(`keeps the database private and encrypted (${expected.customerKey ? "the service's rotating KMS key" : "the AWS-managed key"}), on ${aurora ? "Aurora " : ""}PostgreSQL 17 with TLS forced`, () => {
      const db = database().inputs;
      assert.equal(writer().inputs.publiclyAccessible, false);
      assert.equal(db.storageEncrypted, true);
      if (expected.customerKey) {
        const key = one(service, t.key);
        assert.equal(db.kmsKeyId, arn(key));
        assert.equal(key.inputs.enableKeyRotation, true);
      } else {
        assert.deepEqual(all(service, t.key), []);
        assert.equal(db.kmsKeyId, undefined);
      }
      assert.deepEqual(
        [db.engine, db.engineVersion, db.allowMajorVersionUpgrade],
        aurora ? ["aurora-postgresql", "17.4", false] : ["postgres", "17", false],
      );
      const parameters = one(service, aurora ? t.clusterParameterGroup : t.parameterGroup);
      assert.equal(aurora ? db.dbClusterParameterGroupName : db.parameterGroupName, id(parameters));
      assert.equal(parameters.inputs.family, aurora ? "aurora-postgresql17" : "postgres17");
      assert.deepEqual(parameters.inputs.parameters, [{ name: "rds.force_ssl", value: "1" }]);
    });

    it("puts the database in a subnet group over the private subnets, reachable only from the functions' security group", () => {
      const db = database().inputs;
      const subnetGroup = one(service, t.subnetGroup);
      assert.equal(db.dbSubnetGroupName, id(subnetGroup));
      assert.deepEqual(subnetGroup.inputs.subnetIds, all(service, t.subnet).map(id));
      const databaseGroup = id(one(service, t.securityGroup, "-database"));
      const functionGroup = id(one(service, t.securityGroup, "-functions"));
      assert.deepEqual(db.vpcSecurityGroupIds, [databaseGroup]);
      for (const group of all(service, t.securityGroup))
        assert.equal(
          group.inputs.ingress ?? undefined,
          undefined,
          `${group.name} has inline ingress`,
        );
      const intoDatabase = all(run.resources, t.ingress).filter(
        (r) => r.inputs.securityGroupId === databaseGroup,
      );
      assert.deepEqual(
        intoDatabase.map((r) => ({
          from: r.inputs.referencedSecurityGroupId,
          protocol: r.inputs.ipProtocol,
          ports: [r.inputs.fromPort, r.inputs.toPort],
          cidr: r.inputs.cidrIpv4 ?? r.inputs.cidrIpv6,
        })),
        [{ from: functionGroup, protocol: "tcp", ports: [5432, 5432], cidr: undefined }],
      );
    });

    it(`sizes the database for ${stack} and sets its safety switches ${stack === "production" ? "on" : "off"}`, () => {
      const db = database().inputs;
      assert.equal(writer().inputs.instanceClass, expected.instanceClass);
      assert.deepEqual(
        Object.fromEntries(Object.keys(expected.safety).map((k) => [k, db[k]])),
        expected.safety,
      );
      assert.deepEqual(
        Object.fromEntries(Object.keys(expected.writer).map((k) => [k, writer().inputs[k]])),
        expected.writer,
      );
      if (expected.safety.skipFinalSnapshot) assert.equal(db.finalSnapshotIdentifier, undefined);
      else assert.match(String(db.finalSnapshotIdentifier), /^[a-z][a-z0-9-]*[a-z0-9]$/);
      if (aurora) {
        // Provisioned mode with a db.serverless writer is Serverless v2; a 0-ACU minimum pauses it after 5 idle minutes.
        assert.equal(db.engineMode, "provisioned");
        assert.deepEqual(db.serverlessv2ScalingConfiguration, {
          minCapacity: 0,
          maxCapacity: 2,
          secondsUntilAutoPause: 300,
        });
        assert.equal(writer().inputs.clusterIdentifier, id(database()));
        assert.deepEqual(all(service, t.instance), []);
      }
    });

    it(`signs the migrator in as the master user ${expected.migratorSignIn === "iam" ? "with IAM tokens once the configured password has granted it rds_iam" : "with the RDS-managed secret"}, never with a password in plaintext`, () => {
      const db = database().inputs;
      const variablesOf = (f: ReturnType<typeof one>) =>
        (reveal(f.inputs.environment) as { variables: Record<string, string> }).variables;
      const migrate = one(service, t.function, "-migrate-function");
      const invocations = all(service, t.invocation);
      const reads = grantsOf("secretsmanager:GetSecretValue");
      if (expected.migratorSignIn === "iam") {
        const password = secretConfigValues(run).find((v) => v.includes("databasePassword"));
        assert.ok(isSecretValue(aurora ? db.masterPassword : db.password));
        assert.equal(db.manageMasterUserPassword, undefined);
        assert.deepEqual(
          [variablesOf(migrate).PGUSER, variablesOf(migrate).DB_IAM_SIGN_IN],
          ["cupping_admin", "true"],
        );
        // No function reads a secret: no secret, no policy that reads one, no endpoint to reach one.
        assert.deepEqual(all(service, t.secret), []);
        assert.deepEqual(reads, []);
        for (const fn of all(service, t.function))
          assert.equal(variablesOf(fn).DB_SECRET_ARN, undefined, fn.name);
        // The password reaches the migrator once, as a secret invocation input, and only to grant rds_iam.
        const signIn = one(service, t.invocation, "-iam-sign-in");
        assert.ok(isSecretValue(signIn.inputs.input));
        assert.deepEqual(JSON.parse(String(reveal(signIn.inputs.input))), {
          action: "enableIamSignIn",
          password,
        });
        assert.equal(signIn.inputs.functionName, id(migrate));
        assert.deepEqual(signIn.inputs.triggers, {
          database: stateOf(run, database()).state[aurora ? "clusterResourceId" : "resourceId"],
        });
        assert.ok(dependenciesOf(one(service, t.invocation, "-migration")).includes(signIn.name));
      } else {
        const key = arn(one(service, t.key));
        assert.equal(db.password, undefined);
        assert.deepEqual([db.manageMasterUserPassword, db.masterUserSecretKmsKeyId], [true, key]);
        assert.deepEqual(all(service, t.secret), []);
        const managed = stateOf(run, database()).state.masterUserSecrets as Array<{
          secretArn: string;
        }>;
        assert.equal(variablesOf(migrate).DB_SECRET_ARN, managed[0].secretArn);
        assert.equal(variablesOf(migrate).DB_IAM_SIGN_IN, undefined);
        // The migrator reads the secret; any other role of the service (the API's, CodeDeploy's) reads none.
        assert.deepEqual(reads, [["cupping-migrate-policy", managed[0].secretArn]]);
        assert.deepEqual(
          invocations.map((i) => i.name),
          ["cupping-migration"],
        );
      }
    });

    it("lets the API sign in as the application role with IAM tokens over verified TLS, and no other role connect", () => {
      assert.equal(database().inputs.iamDatabaseAuthenticationEnabled, true);
      const resourceId = String(
        stateOf(run, database()).state[aurora ? "clusterResourceId" : "resourceId"],
      );
      const api = all(service, t.function).find((f) => /-api-function$/.test(f.name))!;
      const variables = (reveal(api.inputs.environment) as { variables: Record<string, string> })
        .variables;
      assert.deepEqual(
        [
          variables.PGUSER,
          variables.DB_IAM_SIGN_IN,
          variables.PGSSLMODE,
          variables.PGSSLROOTCERT,
          variables.DB_SECRET_ARN,
        ],
        ["cupping_api", "true", "verify-full", "/var/task/rds-ca-bundle.pem", undefined],
      );
      const connects = grantsOf("rds-db:connect");
      const user = (name: string) =>
        new RegExp(`^arn:aws:rds-db:[a-z0-9-]+:\\d{12}:dbuser:${resourceId}/${name}$`);
      const expectedUsers: Array<[string, string]> = [["cupping-api-policy", "cupping_api"]];
      if (expected.migratorSignIn === "iam")
        expectedUsers.push(["cupping-migrate-policy", "cupping_admin"]);
      assert.deepEqual(
        connects.map(([policy]) => policy).sort(),
        expectedUsers.map(([policy]) => policy).sort(),
      );
      for (const [policy, name] of expectedUsers)
        assert.match(connects.find(([p]) => p === policy)![1], user(name));
    });

    it("puts no secret into any Lambda environment", () => {
      const secrets = secretConfigValues(run);
      const functions = all(run.resources, t.function);
      assert.ok(functions.length >= 2);
      for (const fn of functions) {
        const variables =
          (fn.inputs.environment as { variables?: Record<string, unknown> } | undefined)
            ?.variables ?? {};
        for (const [name, value] of Object.entries(variables)) {
          assert.ok(!isSecretValue(value), `${fn.name}: ${name} is a secret`);
          assert.ok(
            !secrets.some((secret) => String(value).includes(secret)),
            `${fn.name}: ${name} holds a secret config value`,
          );
          assert.doesNotMatch(
            name,
            /PASSW(OR)?D|TOKEN|PRIVATE_?KEY|(?<!DB_)SECRET(?!_ARN)/,
            `${fn.name}: ${name}`,
          );
        }
      }
    });

    it("runs both functions in the private subnets, behind the functions' security group, from the bundle", async () => {
      const subnets = all(service, t.subnet).map(id);
      const functionGroup = id(one(service, t.securityGroup, "-functions"));
      const functions = all(service, t.function);
      assert.deepEqual(functions.map((f) => f.name).sort(), [
        "cupping-api-function",
        "cupping-migrate-function",
      ]);
      for (const fn of functions) {
        assert.deepEqual(
          fn.inputs.vpcConfig,
          { subnetIds: subnets, securityGroupIds: [functionGroup] },
          fn.name,
        );
        assert.deepEqual(
          [fn.inputs.runtime, fn.inputs.architectures],
          ["nodejs22.x", ["arm64"]],
          fn.name,
        );
        assert.ok(pulumi.asset.Archive.isInstance(fn.inputs.code), fn.name);
        assert.equal(
          path.resolve(await (fn.inputs.code as pulumi.asset.FileArchive).path),
          path.join(projectRoot, "dist/lambdas/cupping"),
          fn.name,
        );
        assert.equal(fn.inputs.memorySize, expected.memoryMb);
        const variables = (fn.inputs.environment as { variables: Record<string, string> })
          .variables;
        assert.deepEqual(
          [variables.PGHOST, variables.PGPORT, variables.PGDATABASE, variables.PGSSLMODE],
          [address(), "5432", "cupping", "verify-full"],
        );
      }
      const api = one(service, t.function, "-api-function").inputs;
      assert.deepEqual(
        [api.handler, api.timeout, api.reservedConcurrentExecutions],
        ["handler.handler", 10, undefined],
      );
      assert.equal(
        one(service, t.function, "-migrate-function").inputs.handler,
        "migrate-handler.handler",
      );
    });

    it(`gives every function and the API access logs a log group kept ${expected.logDays} days`, () => {
      const groups = all(service, t.logGroup);
      assert.equal(groups.length, 3);
      for (const group of groups)
        assert.equal(group.inputs.retentionInDays, expected.logDays, group.name);
      for (const fn of all(service, t.function)) {
        const logging = fn.inputs.loggingConfig as { logGroup: string; logFormat: string };
        assert.ok(
          groups.some((g) => id(g) === logging.logGroup),
          fn.name,
        );
      }
    });

    it("serves the four routes from the API function's live alias, with access logs and default-route throttling", () => {
      const integration = one(service, t.integration);
      assert.deepEqual(
        [
          integration.inputs.integrationType,
          integration.inputs.payloadFormatVersion,
          integration.inputs.integrationUri,
        ],
        ["AWS_PROXY", "2.0", stateOf(run, one(service, "aws:lambda/alias:Alias")).state.invokeArn],
      );
      const routes = all(service, t.route);
      assert.deepEqual(routes.map((r) => r.inputs.routeKey).sort(), [...cuppingRoutes].sort());
      for (const route of routes)
        assert.equal(route.inputs.target, `integrations/${id(integration)}`);
      const stage = one(service, t.stage).inputs as {
        name: string;
        defaultRouteSettings: Record<string, number>;
        accessLogSettings: { destinationArn: string; format: string };
      };
      assert.equal(stage.name, "$default");
      assert.deepEqual(stage.defaultRouteSettings, expected.throttle);
      assert.equal(
        stage.accessLogSettings.destinationArn,
        arn(one(service, t.logGroup, "-access-logs")),
      );
      assert.equal(JSON.parse(stage.accessLogSettings.format).status, "$context.status");
    });

    it(`lets browsers at ${expected.corsOrigins.join(", ") || "no origin"} call the API, never with credentials, in the API and in the function alike`, () => {
      const api = one(service, "aws:apigatewayv2/api:Api").inputs as {
        corsConfiguration?: { allowOrigins: string[]; allowCredentials: boolean };
      };
      if (expected.corsOrigins.length === 0) assert.equal(api.corsConfiguration, undefined);
      else
        assert.deepEqual(
          [api.corsConfiguration?.allowOrigins, api.corsConfiguration?.allowCredentials],
          [expected.corsOrigins, false],
        );
      const variables = (
        one(service, t.function, "-api-function").inputs.environment as {
          variables: Record<string, string>;
        }
      ).variables;
      assert.equal(variables.CORS_ORIGINS, expected.corsOrigins.join(","));
    });

    it("lets only AWS-signed requests write (AWS_IAM on POST and DELETE), and keeps GET public for the deploy's smoke test", () => {
      const routes = Object.fromEntries(
        all(service, t.route).map((route) => [
          route.inputs.routeKey,
          route.inputs.authorizationType,
        ]),
      );
      assert.deepEqual(routes, {
        "GET /session": "NONE",
        "POST /session": "AWS_IAM",
        "GET /session/{id}": "NONE",
        "DELETE /session/{id}": "AWS_IAM",
      });
    });

    it(`releases the API through its live alias with CodeDeploy (${expected.deploymentConfig}), rolled back by the 5xx and error alarms`, () => {
      const apiFunction = one(service, t.function, "-api-function");
      assert.equal(apiFunction.inputs.publish, true);
      const alias = one(service, "aws:lambda/alias:Alias");
      assert.deepEqual(
        [alias.inputs.name, alias.inputs.functionName],
        ["live", stateOf(run, apiFunction).state.name],
      );
      assert.match(
        String(one(service, t.integration).inputs.integrationUri),
        /function:cupping-api-function:live\/invocations$/,
      );
      const permission = one(service, "aws:lambda/permission:Permission");
      assert.equal(permission.inputs.qualifier, "live");
      assert.equal(
        one(service, "aws:codedeploy/application:Application").inputs.computePlatform,
        "Lambda",
      );
      const group = one(service, "aws:codedeploy/deploymentGroup:DeploymentGroup").inputs as {
        deploymentConfigName: string;
        deploymentStyle: Record<string, string>;
        alarmConfiguration: { enabled: boolean; alarms: string[] };
        autoRollbackConfiguration: { enabled: boolean; events: string[] };
      };
      assert.equal(group.deploymentConfigName, expected.deploymentConfig);
      assert.deepEqual(group.deploymentStyle, {
        deploymentOption: "WITH_TRAFFIC_CONTROL",
        deploymentType: "BLUE_GREEN",
      });
      const alarmNames = ["-api-5xx-rate", "-api-function-errors"].map(
        (suffix) => stateOf(run, one(service, t.alarm, suffix)).state.name,
      );
      assert.deepEqual(group.alarmConfiguration, { enabled: true, alarms: alarmNames });
      assert.deepEqual(group.autoRollbackConfiguration, {
        enabled: true,
        events: ["DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_ALARM"],
      });
      const canary = run.outputs.canary as {
        alias: string;
        functionName: string;
        application: string;
        deploymentGroup: string;
      };
      assert.deepEqual(
        [canary.alias, canary.functionName, canary.deploymentGroup],
        ["live", stateOf(run, apiFunction).state.name, "api"],
      );
    });

    it("has the migrator create the API's least-privilege role", () => {
      const variables = (
        one(service, t.function, "-migrate-function").inputs.environment as {
          variables: Record<string, string>;
        }
      ).variables;
      assert.equal(variables.APP_DB_ROLE, "cupping_api");
    });

    it("tells each function its own timeout, from which the code derives its database timeouts", () => {
      for (const fn of all(service, t.function)) {
        const variables = (fn.inputs.environment as { variables: Record<string, string> })
          .variables;
        assert.equal(variables.FUNCTION_TIMEOUT_SECONDS, String(fn.inputs.timeout), fn.name);
      }
    });

    it(`alarms on the API 5xx rate, the API function's errors and throttles, database CPU${aurora ? "" : " and free storage"}`, () => {
      const alarms = all(service, t.alarm);
      assert.deepEqual(alarms.map((a) => a.name).sort(), [
        "cupping-api-5xx-rate",
        "cupping-api-function-errors",
        "cupping-api-function-throttles",
        "cupping-database-cpu",
        ...(aurora ? [] : ["cupping-database-free-storage"]),
      ]);
      const apiName = id(one(service, t.function, "-api-function"));
      assert.deepEqual(one(alarms, t.alarm, "-api-function-errors").inputs.dimensions, {
        FunctionName: apiName,
      });
      assert.deepEqual(
        one(alarms, t.alarm, "-database-cpu").inputs.dimensions,
        aurora
          ? { DBClusterIdentifier: stateOf(run, database()).state.clusterIdentifier }
          : { DBInstanceIdentifier: stateOf(run, database()).state.identifier },
      );
    });

    it("runs the migrations when they or the bundle change, after the network and database are ready and before the API's new code", () => {
      const migration = one(service, t.invocation, "-migration");
      const migrate = one(service, t.function, "-migrate-function");
      assert.equal(migration.inputs.functionName, id(migrate));
      assert.match(
        String((migration.inputs.triggers as Record<string, string>).migrations),
        /^[0-9a-f]{64}$/,
      );
      assert.match(
        String((migration.inputs.triggers as Record<string, string>).bundle),
        /^[0-9a-f]{64}$/,
      );
      const before = dependenciesOf(migration);
      for (const ready of [
        aurora ? "cupping-database-cluster" : "cupping-database-instance",
        ...(expected.endpointSubnets > 0 ? ["cupping-network-secretsmanager"] : []),
        "cupping-network-functions-to-database",
        "cupping-network-database-from-functions",
      ])
        assert.ok(before.includes(ready), `migration waits for ${ready}`);
      assert.ok(dependenciesOf(one(service, t.function, "-api-function")).includes(migration.name));
    });

    it(`${expected.endpointSubnets > 0 ? `puts the Secrets Manager endpoint in ${expected.endpointSubnets} private subnet(s), the only endpoint` : "creates no interface endpoint (no function reads a secret)"}, and creates no NAT gateway`, () => {
      if (expected.endpointSubnets === 0) {
        assert.deepEqual(resourcesOfType(run, t.endpoint), []);
        assert.deepEqual(
          all(service, t.securityGroup)
            .map((g) => g.name)
            .sort(),
          ["cupping-network-database", "cupping-network-functions"],
        );
      } else {
        const endpoint = one(service, t.endpoint).inputs;
        assert.deepEqual(
          [endpoint.serviceName, endpoint.vpcEndpointType, endpoint.privateDnsEnabled],
          [`com.amazonaws.${region}.secretsmanager`, "Interface", true],
        );
        assert.deepEqual(
          endpoint.subnetIds,
          all(service, t.subnet).map(id).slice(0, expected.endpointSubnets),
        );
        assert.deepEqual(endpoint.securityGroupIds, [
          id(one(service, t.securityGroup, "-secretsmanager-endpoint")),
        ]);
      }
      assert.deepEqual(resourcesOfType(run, "aws:ec2/natGateway:NatGateway"), []);
      assert.deepEqual(resourcesOfType(run, "aws:ec2/internetGateway:InternetGateway"), []);
    });

    it(`${expected.safety.skipFinalSnapshot ? "exports no snapshot target (no final snapshot, so no snapshot before migrations)" : "exports the database and migrator the Deploy stage snapshots before pending migrations"}`, () => {
      const target = (run.outputs as { snapshotBeforeMigrations?: unknown })
        .snapshotBeforeMigrations;
      if (expected.safety.skipFinalSnapshot) assert.equal(target, undefined);
      else
        assert.deepEqual(target, {
          engine: expected.engine,
          identifier: stateOf(run, database()).state[aurora ? "clusterIdentifier" : "identifier"],
          migrateFunction: id(one(service, t.function, "-migrate-function")),
        });
    });

    it("creates a VPC with two private subnets in two availability zones when the stack names none", () => {
      one(service, t.vpc);
      const subnets = all(service, t.subnet);
      assert.deepEqual(
        subnets.map((s) => s.inputs.availabilityZone),
        [`${region}a`, `${region}b`],
      );
      for (const subnet of subnets) assert.equal(subnet.inputs.mapPublicIpOnLaunch, false);
    });

    it("exports the API URL, the database endpoint and the function names, and no credential", () => {
      const outputs = run.outputs as {
        apiUrl: string;
        databaseEndpoint: string;
        functionNames: Record<string, string>;
      };
      assert.equal(outputs.apiUrl, stateOf(run, one(service, t.stage)).state.invokeUrl);
      assert.match(
        outputs.apiUrl,
        new RegExp(`^https://.+\\.execute-api\\.${region}\\.amazonaws\\.com/$`),
      );
      assert.equal(
        outputs.databaseEndpoint,
        aurora ? `${address()}:5432` : stateOf(run, database()).state.endpoint,
      );
      assert.deepEqual(outputs.functionNames, {
        api: id(one(service, t.function, "-api-function")),
        migrate: id(one(service, t.function, "-migrate-function")),
      });
      const texts = plainStrings({
        apiUrl: outputs.apiUrl,
        databaseEndpoint: outputs.databaseEndpoint,
        functionNames: outputs.functionNames,
      }).map((s) => s.text);
      for (const secret of secretConfigValues(run))
        assert.ok(!texts.some((text) => text.includes(secret)));
    });
  });
}

describe("the cupping service in an existing VPC, under mocks", () => {
  const vpcId = "vpc-0123456789abcdef0";
  const subnetIds = ["subnet-0aaaaaaaaaaaaaaa1", "subnet-0bbbbbbbbbbbbbbb2"];
  let service: CapturedResource[];
  before(async () => {
    // Production's migrator reads the managed secret, so it has the endpoint too.
    const run = await runProgram("production", {
      edit: { "pipelines:vpcId": vpcId, "pipelines:privateSubnetIds": subnetIds },
    });
    service = serviceResources(run);
  });

  it("creates no VPC or subnet, and puts its security groups, endpoint, database and functions in the given ones", () => {
    assert.deepEqual([...all(service, t.vpc), ...all(service, t.subnet)], []);
    for (const group of all(service, t.securityGroup))
      assert.equal(group.inputs.vpcId, vpcId, group.name);
    assert.equal(one(service, t.endpoint).inputs.vpcId, vpcId);
    assert.deepEqual(one(service, t.endpoint).inputs.subnetIds, subnetIds);
    assert.deepEqual(one(service, t.subnetGroup).inputs.subnetIds, subnetIds);
    for (const fn of all(service, t.function))
      assert.deepEqual(
        (fn.inputs.vpcConfig as { subnetIds: string[] }).subnetIds,
        subnetIds,
        fn.name,
      );
  });
});

describe("pipelines:apiAuth none: every route public", () => {
  it("gives no route an authorizer, so writes are open (a choice for throwaway stacks)", () => {
    assert.deepEqual(
      cuppingRoutes.map((routeKey) => routeAuthorization(routeKey, "none")),
      ["NONE", "NONE", "NONE", "NONE"],
    );
    assert.deepEqual(
      cuppingRoutes.map((routeKey) => routeAuthorization(routeKey, "iam")),
      ["NONE", "AWS_IAM", "NONE", "AWS_IAM"],
    );
  });
});
