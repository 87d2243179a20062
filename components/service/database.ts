import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { StackSettings } from "../../stacks";
import { auroraPostgres, databaseParameters, postgres } from "./postgres";

type DatabaseSettings = StackSettings["database"];

/** The database's settings from the stack, and where it lives. */
export interface ServiceDatabaseArgs extends DatabaseSettings {
  /** Private subnets for the DB subnet group. */
  readonly subnetIds: pulumi.Input<pulumi.Input<string>[]>;
  /** The security group that lets only the functions in. */
  readonly securityGroupId: pulumi.Input<string>;
  /**
   * KMS key (ARN) that encrypts the storage, Performance Insights and an RDS-managed master secret.
   * @default the AWS-managed keys (aws/rds, aws/secretsmanager)
   */
  readonly keyArn?: pulumi.Input<string>;
}

/**
 * PostgreSQL, private and encrypted, with TLS forced by its parameter group: an RDS instance (`postgres`) or an Aurora
 * Serverless v2 cluster with one writer (`aurora-serverless-v2`). The master password is the configured one (kept only
 * in the stack's encrypted config and state; the migrator then signs in with IAM), or one RDS manages in Secrets Manager.
 */
export class ServiceDatabase extends pulumi.ComponentResource {
  /** The instance's or the cluster's identifier: what alarms and snapshots name. */
  public readonly identifier: pulumi.Output<string>;
  /** The DbiResourceId or cluster resource id, which names the database users for IAM database authentication. */
  public readonly resourceId: pulumi.Output<string>;
  /** Host name of the instance, or of the cluster's writer endpoint. */
  public readonly address: pulumi.Output<string>;
  /** host:port of that address. */
  public readonly endpoint: pulumi.Output<string>;
  /** The RDS-managed Secrets Manager secret with the master `username` and `password`; absent when the password is configured. */
  public readonly credentialsSecretArn?: pulumi.Output<string>;

  constructor(name: string, args: ServiceDatabaseArgs, opts?: pulumi.ComponentResourceOptions) {
    super("pipelines:service:Database", name, {}, opts);
    const subnetGroup = new aws.rds.SubnetGroup(
      `${name}-subnets`,
      { subnetIds: args.subnetIds, description: "Private subnets of the cupping service database" },
      { parent: this },
    );
    const kms = (key: string) => (args.keyArn ? { [key]: args.keyArn } : {});
    const managedPassword = { manageMasterUserPassword: true, ...kms("masterUserSecretKmsKeyId") };
    const finalSnapshot = args.finalSnapshot
      ? { finalSnapshotIdentifier: `${name}-final-${pulumi.getStack()}` }
      : {};
    const performanceInsights = {
      performanceInsightsEnabled: args.performanceInsights,
      ...(args.performanceInsights
        ? { ...kms("performanceInsightsKmsKeyId"), performanceInsightsRetentionPeriod: 7 }
        : {}),
    };

    let secrets: pulumi.Output<ReadonlyArray<{ secretArn: string }> | undefined>;
    if (args.engine === "aurora-serverless-v2") {
      const parameters = new aws.rds.ClusterParameterGroup(
        `${name}-cluster-parameters`,
        parameterGroup(auroraPostgres.parameterGroupFamily),
        { parent: this },
      );
      const cluster = new aws.rds.Cluster(
        `${name}-cluster`,
        {
          engine: auroraPostgres.engine,
          engineMode: "provisioned",
          engineVersion: auroraPostgres.version,
          allowMajorVersionUpgrade: false,
          databaseName: postgres.databaseName,
          port: postgres.port,
          masterUsername: postgres.masterUsername,
          ...(args.password ? { masterPassword: args.password } : managedPassword),
          storageEncrypted: true,
          ...kms("kmsKeyId"),
          dbSubnetGroupName: subnetGroup.name,
          vpcSecurityGroupIds: [args.securityGroupId],
          dbClusterParameterGroupName: parameters.name,
          iamDatabaseAuthenticationEnabled: true,
          // At 0 ACUs the writer pauses after the idle seconds and resumes on the next connection: no compute charge meanwhile.
          serverlessv2ScalingConfiguration: {
            minCapacity: args.capacity.minAcu,
            maxCapacity: args.capacity.maxAcu,
            ...(args.capacity.minAcu === 0
              ? { secondsUntilAutoPause: args.capacity.autoPauseSeconds }
              : {}),
          },
          deletionProtection: args.deletionProtection,
          backupRetentionPeriod: args.backupRetentionDays,
          copyTagsToSnapshot: true,
          skipFinalSnapshot: !args.finalSnapshot,
          ...finalSnapshot,
        },
        { parent: this },
      );
      new aws.rds.ClusterInstance(
        `${name}-writer`,
        {
          clusterIdentifier: cluster.id,
          instanceClass: auroraPostgres.instanceClass,
          engine: auroraPostgres.engine,
          engineVersion: cluster.engineVersion,
          publiclyAccessible: false,
          dbSubnetGroupName: subnetGroup.name,
          autoMinorVersionUpgrade: true,
          ...performanceInsights,
        },
        { parent: this },
      );
      this.identifier = cluster.clusterIdentifier;
      this.resourceId = cluster.clusterResourceId;
      this.address = cluster.endpoint;
      this.endpoint = cluster.endpoint.apply((host) => `${host}:${postgres.port}`);
      secrets = cluster.masterUserSecrets;
    } else {
      const parameters = new aws.rds.ParameterGroup(
        `${name}-parameters`,
        parameterGroup(postgres.parameterGroupFamily),
        { parent: this },
      );
      const instance = new aws.rds.Instance(
        `${name}-instance`,
        {
          engine: postgres.engine,
          engineVersion: postgres.majorVersion,
          allowMajorVersionUpgrade: false,
          autoMinorVersionUpgrade: true,
          instanceClass: args.instanceClass,
          allocatedStorage: args.allocatedStorageGb,
          maxAllocatedStorage: args.maxAllocatedStorageGb,
          storageType: "gp3",
          storageEncrypted: true,
          ...kms("kmsKeyId"),
          dbName: postgres.databaseName,
          port: postgres.port,
          username: postgres.masterUsername,
          ...(args.password ? { password: args.password } : managedPassword),
          dbSubnetGroupName: subnetGroup.name,
          vpcSecurityGroupIds: [args.securityGroupId],
          parameterGroupName: parameters.name,
          publiclyAccessible: false,
          // Functions sign in with IAM tokens (rds-db:connect on their database user).
          iamDatabaseAuthenticationEnabled: true,
          multiAz: args.multiAz,
          deletionProtection: args.deletionProtection,
          backupRetentionPeriod: args.backupRetentionDays,
          copyTagsToSnapshot: true,
          skipFinalSnapshot: !args.finalSnapshot,
          ...finalSnapshot,
          ...(args.finalSnapshot ? { deleteAutomatedBackups: false } : {}),
          ...performanceInsights,
        },
        { parent: this },
      );
      this.identifier = instance.identifier;
      this.resourceId = instance.resourceId;
      this.address = instance.address;
      this.endpoint = instance.endpoint;
      secrets = instance.masterUserSecrets;
    }

    this.credentialsSecretArn = args.password
      ? undefined
      : secrets.apply((list) => managedSecretArn(list));
    this.registerOutputs({
      identifier: this.identifier,
      address: this.address,
      endpoint: this.endpoint,
      credentialsSecretArn: this.credentialsSecretArn,
    });
  }
}

/** A (cluster) parameter group of the family with the service's parameters. */
function parameterGroup(family: string) {
  return {
    family,
    description: "Cupping service database: TLS required",
    parameters: [...databaseParameters],
  };
}

function managedSecretArn(secrets: ReadonlyArray<{ secretArn: string }> | undefined): string {
  const arn = secrets?.[0]?.secretArn;
  if (!arn)
    throw new Error("RDS reported no master user secret although manageMasterUserPassword is on");
  return arn;
}
