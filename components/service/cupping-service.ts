import * as path from "node:path";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { StackSettings } from "../../stacks";
import { currentAccount, databaseUserArn, type RolePlacement } from "../iam";
import { apiStage, HttpApi } from "./http-api";
import { serviceAlarmName, serviceAlarms } from "./alarms";
import {
  bundleDirectory,
  certificateBundleFile,
  entryPoints,
  fingerprint,
  migrationIdsIn,
  migrationsDirectory,
  requireBundle,
} from "./bundle";
import { ServiceDatabase } from "./database";
import { ServiceNetwork } from "./network";
import { postgres } from "./postgres";
import { cuppingRoutes, routeAuthorization } from "./routes";
import { CanaryRelease, liveAliasFor } from "./canary-release";
import { ServiceFunction } from "./service-function";
import { liveAlias, type CanaryTarget } from "./traffic-shift";
import type { MigrateRequest } from "../../lambdas/cupping/migrate-handler";

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
  /**
   * Another stack's network and database instance to use instead of creating them (review stacks): the service then
   * creates only its API function and HTTP API, and has its own logical database prepared by that stack's migrator.
   * @default the service creates its own
   */
  readonly sharedDatabase?: SharedDatabase;
}

/** A database instance, its network and its migrator, run by another stack; what it exports for review stacks. */
export interface SharedDatabase {
  /** The VPC and private subnets the instance lives in. */
  readonly vpcId: pulumi.Input<string>;
  readonly privateSubnetIds: pulumi.Input<pulumi.Input<string>[]>;
  /** The security group the instance and the Secrets Manager endpoint let in. */
  readonly functionSecurityGroupId: pulumi.Input<string>;
  /** Host name of the instance. */
  readonly address: pulumi.Input<string>;
  /** The instance's RDS resource id (DbiResourceId), which names its database users for IAM database authentication. */
  readonly resourceId: pulumi.Input<string>;
  /** The instance's migrate function, which prepares (and later drops) this service's logical database and its owner role. */
  readonly migrateFunctionName: pulumi.Input<string>;
  /** This service's logical database on the instance, and the role that owns it, migrates it and that the API signs in as. */
  readonly database: { readonly name: string; readonly role: string };
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
  /** What the deploy needs to shift traffic to the version it published (CodeDeploy application, group, alias); absent on a shared database. */
  public readonly canary?: pulumi.Output<CanaryTarget>;
  /** The network of its own database, which review stacks share; absent on a shared database. */
  public readonly network?: {
    vpcId: pulumi.Output<string>;
    privateSubnetIds: pulumi.Output<string[]>;
    functionSecurityGroupId: pulumi.Output<string>;
  };
  /** How functions reach its own database (host, and the resource id that names its IAM database users), which review stacks share; absent on a shared database. */
  public readonly databaseAccess?: {
    address: pulumi.Output<string>;
    resourceId: pulumi.Output<string>;
  };
  /** What the Deploy stage snapshots before pending migrations; only with `finalSnapshot` on a database of its own. */
  public readonly snapshotTarget?: pulumi.Output<{
    engine: string;
    identifier: string;
    migrateFunction: string;
  }>;
  /** The service's Lambda function names (on a shared database, `migrate` is its own, which applies this checkout's migrations). */
  public readonly functionNames: pulumi.Output<{ api: string; migrate: string }>;

  constructor(name: string, args: CuppingServiceArgs, opts?: pulumi.ComponentResourceOptions) {
    super("pipelines:service:CuppingService", name, {}, opts);
    const root = args.projectRoot ?? defaultProjectRoot;
    requireBundle(root, pulumi.runtime.hasEngine());

    const changes = {
      migrations: fingerprint(path.join(root, migrationsDirectory), /\.sql$/),
      bundle: fingerprint(path.join(root, bundleDirectory)),
    };
    const own = args.sharedDatabase ? undefined : this.ownDatabase(name, args);
    const store = own?.store ?? sharedStore(args.sharedDatabase!);

    const functionBase = {
      // Relative to the working directory (the project, under pulumi up), so the path in the state is the same on every machine.
      code: new pulumi.asset.FileArchive(
        path.relative(process.cwd(), path.join(root, bundleDirectory)),
      ),
      environment: {
        PGHOST: store.address,
        PGPORT: String(postgres.port),
        PGDATABASE: store.database,
        // TLS with the server's certificate and host name checked against the RDS certificate authorities in the bundle.
        PGSSLMODE: "verify-full",
        PGSSLROOTCERT: `/var/task/${certificateBundleFile}`,
        NODE_OPTIONS: "--enable-source-maps",
        CORS_ORIGINS: args.service.corsOrigins.join(","),
      },
      memoryMb: args.service.memoryMb,
      subnetIds: store.subnetIds,
      securityGroupId: store.functionSecurityGroupId,
      logRetentionDays: args.logRetentionDays,
      region: args.region,
      roles: args.roles,
    };
    let migrateFunctionName: pulumi.Output<string>;
    let migration: aws.lambda.Invocation;
    if (own) {
      const migrate = new ServiceFunction(
        `${name}-migrate`,
        {
          ...functionBase,
          // The migrator signs in as the master user: with an IAM token when Pulumi holds the password (it hands it
          // over once, below), else with the RDS-managed secret it reads at run time. APP_DB_ROLE is the role it
          // creates for the API, with only the API's rights.
          environment: {
            ...functionBase.environment,
            PGUSER: postgres.masterUsername,
            APP_DB_ROLE: postgres.applicationRole,
            ...(own.database.credentialsSecretArn
              ? { DB_SECRET_ARN: own.database.credentialsSecretArn }
              : { DB_IAM_SIGN_IN: "true" }),
          },
          database: own.database.credentialsSecretArn
            ? pulumi.output({
                with: "secret" as const,
                secretArn: own.database.credentialsSecretArn,
                keyArn: own.key?.arn,
              })
            : this.databaseUser(args.region, own.database.resourceId, postgres.masterUsername),
          description: "the cupping log's schema migrations",
          handler: entryPoints.migrate.handler,
          timeoutSeconds: migrationTimeoutSeconds,
        },
        { parent: this },
      );
      migrateFunctionName = migrate.functionName;
      // The function must reach the database (and the secret): network rules, endpoint and credentials first.
      const ready: pulumi.Resource[] = [own.network, own.database];
      if (args.database.password) {
        // Once per database: the configured password signs in one last time to grant rds_iam to the master user, after
        // which only IAM tokens sign it in. The password travels in this invocation's event, never in the environment.
        ready.push(
          new aws.lambda.Invocation(
            `${name}-iam-sign-in`,
            {
              functionName: migrate.functionName,
              input: pulumi.secret(
                pulumi.output(args.database.password).apply((password) =>
                  JSON.stringify({
                    action: "enableIamSignIn",
                    password,
                  } satisfies MigrateRequest),
                ),
              ),
              triggers: { database: own.database.resourceId },
            },
            { parent: this, dependsOn: [own.network, own.database] },
          ),
        );
      }
      // Runs on create and whenever the migrations or the bundle change; a migration error fails the deploy here. The
      // ids it lists tell the release plan which migrations a release adds (components/pipeline/release).
      migration = new aws.lambda.Invocation(
        `${name}-migration`,
        {
          functionName: migrate.functionName,
          input: JSON.stringify({
            source: "pulumi",
            ...changes,
            migrationIds: migrationIdsIn(path.join(root, migrationsDirectory)),
          }),
          triggers: changes,
        },
        { parent: this, dependsOn: ready },
      );
    } else {
      const shared = args.sharedDatabase!;
      // The instance's own migrator creates this service's database and its owner role before the API takes traffic.
      const request: MigrateRequest = {
        action: "prepareReviewDatabase",
        database: shared.database.name,
        role: shared.database.role,
      };
      migration = new aws.lambda.Invocation(
        `${name}-migration`,
        {
          functionName: shared.migrateFunctionName,
          input: JSON.stringify(request),
          triggers: changes,
        },
        { parent: this },
      );
      // This checkout's migrations, applied by this stack's own function signed in as the database's owner (never the
      // instance's master): the review deploy invokes it after pulumi up. No APP_DB_ROLE: the API signs in as that owner.
      const migrate = new ServiceFunction(
        `${name}-migrate`,
        {
          ...functionBase,
          environment: {
            ...functionBase.environment,
            PGUSER: shared.database.role,
            DB_IAM_SIGN_IN: "true",
          },
          database: this.databaseUser(args.region, shared.resourceId, shared.database.role),
          description: "the cupping log's schema migrations, as its review database's owner",
          handler: entryPoints.migrate.handler,
          timeoutSeconds: migrationTimeoutSeconds,
          updateAfter: [migration],
        },
        { parent: this },
      );
      migrateFunctionName = migrate.functionName;
    }
    const api = new ServiceFunction(
      `${name}-api`,
      {
        ...functionBase,
        // No password anywhere: the API signs in as the application role with an IAM token its own role signs.
        environment: {
          ...functionBase.environment,
          PGUSER: store.applicationRole,
          DB_IAM_SIGN_IN: "true",
        },
        database: this.databaseUser(args.region, store.resourceId, store.applicationRole),
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
        target: {
          invokeArn: alias.invokeArn,
          functionName: api.functionName,
          qualifier: liveAlias,
        },
        rateLimit: args.service.throttle.rateLimit,
        burstLimit: args.service.throttle.burstLimit,
        logRetentionDays: args.logRetentionDays,
        corsOrigins: args.service.corsOrigins,
        authorization: (routeKey) => routeAuthorization(routeKey, args.service.auth),
      },
      { parent: this },
    );

    // Alarms and traffic shifting watch a stack's own release; a shared instance's alarms belong to its stack.
    this.canary = own
      ? this.release(name, args, {
          api,
          alias,
          http,
          databaseIdentifier: own.database.identifier,
          databaseEngine: args.database.engine,
        })
      : undefined;

    this.apiUrl = http.url;
    this.databaseEndpoint =
      own?.database.endpoint ??
      pulumi.output(store.address).apply((address) => `${address}:${postgres.port}`);
    this.network = own
      ? {
          vpcId: own.network.vpcId,
          privateSubnetIds: own.network.privateSubnetIds,
          functionSecurityGroupId: own.network.functionSecurityGroupId,
        }
      : undefined;
    this.databaseAccess = own
      ? { address: own.database.address, resourceId: own.database.resourceId }
      : undefined;
    this.snapshotTarget =
      own && args.database.finalSnapshot
        ? pulumi
            .all([own.database.identifier, migrateFunctionName])
            .apply(([identifier, migrateFunction]) => ({
              engine: args.database.engine,
              identifier,
              migrateFunction,
            }))
        : undefined;
    this.functionNames = pulumi
      .all([api.functionName, migrateFunctionName])
      .apply(([apiName, migrateName]) => ({ api: apiName, migrate: migrateName }));
    this.registerOutputs({
      apiUrl: this.apiUrl,
      databaseEndpoint: this.databaseEndpoint,
      functionNames: this.functionNames,
      canary: this.canary,
    });
  }

  // The rds-db:connect grant of a function that signs in as `user` with an IAM token.
  private databaseUser(region: string, resourceId: pulumi.Input<string>, user: string) {
    return pulumi
      .all([currentAccount(region, { parent: this }), resourceId])
      .apply(([account, id]) => ({
        with: "iam-token" as const,
        databaseUserArn: databaseUserArn(account, id, user),
      }));
  }

  // The key, network and database of a service that runs its own database.
  private ownDatabase(name: string, args: CuppingServiceArgs) {
    const key = args.database.customerManagedKey
      ? new aws.kms.Key(
          `${name}-key`,
          {
            description:
              "Cupping service: database storage, Performance Insights and database credentials",
            enableKeyRotation: true,
            deletionWindowInDays: args.database.deletionProtection ? 30 : 7,
          },
          { parent: this },
        )
      : undefined;
    // Only a migrator that reads the RDS-managed master secret needs Secrets Manager, and so the endpoint.
    const readsSecret = !args.database.password;
    const network = new ServiceNetwork(
      `${name}-network`,
      {
        vpcId: args.network.vpcId,
        privateSubnetIds: args.network.privateSubnetIds,
        region: args.region,
        secretsEndpoint: readsSecret
          ? args.database.multiAz
            ? "every-subnet"
            : "one-subnet"
          : undefined,
      },
      { parent: this },
    );
    const database = new ServiceDatabase(
      `${name}-database`,
      {
        ...args.database,
        subnetIds: network.privateSubnetIds,
        securityGroupId: network.databaseSecurityGroupId,
        keyArn: key?.arn,
      },
      { parent: this },
    );
    const store: DatabaseStore = {
      address: database.address,
      database: postgres.databaseName,
      applicationRole: postgres.applicationRole,
      resourceId: database.resourceId,
      subnetIds: network.privateSubnetIds,
      functionSecurityGroupId: network.functionSecurityGroupId,
    };
    return { key, network, database, store };
  }

  // The alarms, and the canary release that rolls back on them.
  private release(
    name: string,
    args: CuppingServiceArgs,
    parts: {
      api: ServiceFunction;
      alias: aws.lambda.Alias;
      http: HttpApi;
      databaseIdentifier: pulumi.Input<string>;
      databaseEngine: StackSettings["database"]["engine"];
    },
  ): pulumi.Output<CanaryTarget> {
    const alarms = serviceAlarms(
      {
        apiId: parts.http.apiId,
        apiStage,
        apiFunctionName: parts.api.functionName,
        databaseIdentifier: parts.databaseIdentifier,
        databaseEngine: parts.databaseEngine,
        allocatedStorageGb: args.database.allocatedStorageGb,
      },
      args.alarmTopicArn,
    );
    const alarmResources = alarms.map((alarm) => {
      const physicalName = args.alarmNamePrefix
        ? serviceAlarmName(args.alarmNamePrefix, alarm.name)
        : undefined;
      return {
        key: alarm.name,
        resource: new aws.cloudwatch.MetricAlarm(
          `${name}-${alarm.name}`,
          { ...alarm.args, name: physicalName },
          { parent: this },
        ),
      };
    });
    const canary = new CanaryRelease(
      `${name}-release`,
      {
        function: parts.api.function,
        alias: parts.alias,
        trafficShift: args.service.trafficShift,
        rollbackAlarms: alarmResources
          .filter((alarm) => rollbackAlarmKeys.includes(alarm.key))
          .map((alarm) => alarm.resource),
        roles: args.roles,
      },
      { parent: this },
    );
    return canary.target;
  }
}

/** Where the functions find the database, whoever runs the instance. */
interface DatabaseStore {
  readonly address: pulumi.Input<string>;
  /** The logical database the service uses. */
  readonly database: string;
  /** The database user the API signs in as, with an IAM token. */
  readonly applicationRole: string;
  /** The instance's DbiResourceId, for the API's rds-db:connect grant. */
  readonly resourceId: pulumi.Input<string>;
  readonly subnetIds: pulumi.Input<pulumi.Input<string>[]>;
  readonly functionSecurityGroupId: pulumi.Input<string>;
}

function sharedStore(shared: SharedDatabase): DatabaseStore {
  return {
    address: shared.address,
    database: shared.database.name,
    applicationRole: shared.database.role,
    resourceId: shared.resourceId,
    subnetIds: shared.privateSubnetIds,
    functionSecurityGroupId: shared.functionSecurityGroupId,
  };
}
