import * as path from "node:path";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { StackSettings } from "../../stacks";
import type { RolePlacement } from "../iam";
import { apiStage, HttpApi } from "./http-api";
import { serviceAlarmName, serviceAlarms } from "./alarms";
import { bundleDirectory, entryPoints, fingerprint, migrationsDirectory, requireBundle } from "./bundle";
import { ServiceDatabase } from "./database";
import { ServiceNetwork } from "./network";
import { postgres } from "./postgres";
import { cuppingRoutes, routeAuthorization } from "./routes";
import { CanaryRelease, liveAliasFor } from "./canary-release";
import { ServiceFunction } from "./service-function";
import { liveAlias, type CanaryTarget } from "./traffic-shift";

export interface CuppingServiceArgs {
  /** AWS region of the stack. */
  readonly region: string;
  /** The VPC and private subnets to use; no VPC means the service creates its own. */
  readonly network: StackSettings["network"];
  /** The database's size and safety switches, and the master password when it comes from config. */
  readonly database: StackSettings["database"];
  /** The functions' memory, timeout and concurrency, and the API's throttling. */
  readonly service: StackSettings["service"];
  /** Days every log group of the service keeps its logs. */
  readonly logRetentionDays: number;
  /** SNS topic the alarms notify; absent means the alarms have no actions. */
  readonly alarmTopicArn?: pulumi.Input<string>;
  /** Prefix of the alarms' physical names (see `serviceAlarmName`); absent lets Pulumi name them. */
  readonly alarmNamePrefix?: string;
  /** Folder holding dist/ and lambdas/; defaults to the project root. */
  readonly projectRoot?: string;
  /** Path and permissions boundary of the functions' roles. */
  readonly roles: RolePlacement;
}

/** The alarms that stop a traffic shift and roll it back. */
export const rollbackAlarmKeys: readonly string[] = ["api-5xx-rate", "api-function-errors"];

/** Migrations may wait on locks and build indexes: more time than an API request gets. */
export const migrationTimeoutSeconds = 120;

const defaultProjectRoot = path.resolve(__dirname, "../..");

/**
 * The cupping log service of one stack: PostgreSQL on RDS in private subnets, the API and migration functions in
 * the same subnets, an HTTP API in front, and alarms. Every deploy that changes the code or the migrations runs the
 * migrations first; the API function's new code goes live only after they succeed, and a failure fails the deploy.
 */
export class CuppingService extends pulumi.ComponentResource {
  /** The HTTP API's invoke URL. */
  public readonly apiUrl: pulumi.Output<string>;
  /** The database's host:port (never its credentials). */
  public readonly databaseEndpoint: pulumi.Output<string>;
  /** What the deploy needs to shift traffic to the version it published (CodeDeploy application, group, alias). */
  public readonly canary: pulumi.Output<CanaryTarget>;
  /** The service's Lambda function names. */
  public readonly functionNames: pulumi.Output<{ api: string; migrate: string }>;

  constructor(name: string, args: CuppingServiceArgs, opts?: pulumi.ComponentResourceOptions) {
    super("pipelines:service:CuppingService", name, {}, opts);
    const root = args.projectRoot ?? defaultProjectRoot;
    requireBundle(root, pulumi.runtime.hasEngine());

    const key = new aws.kms.Key(
      `${name}-key`,
      {
        description: "Cupping service: database storage, Performance Insights and database credentials",
        enableKeyRotation: true,
        deletionWindowInDays: args.database.deletionProtection ? 30 : 7,
      },
      { parent: this },
    );
    const network = new ServiceNetwork(
      `${name}-network`,
      { vpcId: args.network.vpcId, privateSubnetIds: args.network.privateSubnetIds, region: args.region, endpointInEverySubnet: args.database.multiAz },
      { parent: this },
    );
    const database = new ServiceDatabase(
      `${name}-database`,
      { ...args.database, subnetIds: network.privateSubnetIds, securityGroupId: network.databaseSecurityGroupId, keyArn: key.arn },
      { parent: this },
    );

    const functionBase = {
      // Relative to the working directory (the project, under pulumi up), so the path in the state is the same on every machine.
      code: new pulumi.asset.FileArchive(path.relative(process.cwd(), path.join(root, bundleDirectory))),
      environment: {
        PGHOST: database.address,
        PGPORT: String(postgres.port),
        PGDATABASE: postgres.databaseName,
        PGUSER: postgres.masterUsername,
        PGSSLMODE: "require",
        // Where the password is, not the password: the functions read it from Secrets Manager at run time.
        DB_SECRET_ARN: database.credentialsSecretArn,
        NODE_OPTIONS: "--enable-source-maps",
        CORS_ORIGINS: args.service.corsOrigins.join(","),
      },
      memoryMb: args.service.memoryMb,
      subnetIds: network.privateSubnetIds,
      securityGroupId: network.functionSecurityGroupId,
      logRetentionDays: args.logRetentionDays,
      secretArn: database.credentialsSecretArn,
      keyArn: key.arn,
      region: args.region,
      roles: args.roles,
    };
    const migrate = new ServiceFunction(
      `${name}-migrate`,
      {
        ...functionBase,
        // The role the API will connect as (IAM database authentication); the migrator creates it with only the API's rights.
        environment: { ...functionBase.environment, APP_DB_ROLE: postgres.applicationRole },
        description: "the cupping log's schema migrations",
        handler: entryPoints.migrate.handler,
        timeoutSeconds: migrationTimeoutSeconds,
      },
      { parent: this },
    );
    const changes = { migrations: fingerprint(path.join(root, migrationsDirectory), /\.sql$/), bundle: fingerprint(path.join(root, bundleDirectory)) };
    // Runs on create and whenever the migrations or the bundle change; a migration error fails the deploy here.
    const migration = new aws.lambda.Invocation(
      `${name}-migration`,
      { functionName: migrate.functionName, input: JSON.stringify({ source: "pulumi", ...changes }), triggers: changes },
      // The function must reach the database and the secret: network rules, endpoint and credentials first.
      { parent: this, dependsOn: [network, database] },
    );
    const api = new ServiceFunction(
      `${name}-api`,
      {
        ...functionBase,
        description: "the cupping log API",
        handler: entryPoints.api.handler,
        timeoutSeconds: args.service.timeoutSeconds,
        reservedConcurrency: args.service.reservedConcurrency,
        updateAfter: [migration],
        publish: true,
      },
      { parent: this },
    );
    const alias = liveAliasFor(`${name}-live`, api.function, this);
    const http = new HttpApi(
      `${name}-http`,
      {
        routes: cuppingRoutes,
        target: { invokeArn: alias.invokeArn, functionName: api.functionName, qualifier: liveAlias },
        rateLimit: args.service.throttle.rateLimit,
        burstLimit: args.service.throttle.burstLimit,
        logRetentionDays: args.logRetentionDays,
        corsOrigins: args.service.corsOrigins,
        authorization: (routeKey) => routeAuthorization(routeKey, args.service.auth),
      },
      { parent: this },
    );

    const alarms = serviceAlarms(
      { apiId: http.apiId, apiStage, apiFunctionName: api.functionName, databaseIdentifier: database.instance.identifier, allocatedStorageGb: args.database.allocatedStorageGb },
      args.alarmTopicArn,
    );
    const alarmResources = alarms.map((alarm) => {
      const physicalName = args.alarmNamePrefix ? serviceAlarmName(args.alarmNamePrefix, alarm.name) : undefined;
      return { key: alarm.name, resource: new aws.cloudwatch.MetricAlarm(`${name}-${alarm.name}`, { ...alarm.args, name: physicalName }, { parent: this }) };
    });
    const canary = new CanaryRelease(
      `${name}-release`,
      {
        function: api.function,
        alias,
        trafficShift: args.service.trafficShift,
        rollbackAlarms: alarmResources.filter((alarm) => rollbackAlarmKeys.includes(alarm.key)).map((alarm) => alarm.resource),
        roles: args.roles,
      },
      { parent: this },
    );
    this.canary = canary.target;

    this.apiUrl = http.url;
    this.databaseEndpoint = database.endpoint;
    this.functionNames = pulumi.all([api.functionName, migrate.functionName]).apply(([apiName, migrateName]) => ({ api: apiName, migrate: migrateName }));
    this.registerOutputs({ apiUrl: this.apiUrl, databaseEndpoint: this.databaseEndpoint, functionNames: this.functionNames, canary: this.canary });
  }
}
