import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { StackSettings } from "../../stacks";
import { databaseParameters, postgres } from "./postgres";

type DatabaseSettings = StackSettings["database"];

/** The database's settings from the stack, and where it lives. */
export interface ServiceDatabaseArgs extends DatabaseSettings {
  /** Private subnets for the DB subnet group. */
  readonly subnetIds: pulumi.Input<pulumi.Input<string>[]>;
  /** The security group that lets only the functions in. */
  readonly securityGroupId: pulumi.Input<string>;
  /** KMS key (ARN) that encrypts the storage, Performance Insights and the credentials secret. */
  readonly keyArn: pulumi.Input<string>;
}

/**
 * PostgreSQL on RDS, private and encrypted, with TLS forced by its parameter group. Its master credentials live in
 * Secrets Manager either way: RDS-managed, or a secret created here from the configured password.
 */
export class ServiceDatabase extends pulumi.ComponentResource {
  public readonly instance: aws.rds.Instance;
  /** Hostname of the instance. */
  public readonly address: pulumi.Output<string>;
  /** host:port of the instance. */
  public readonly endpoint: pulumi.Output<string>;
  /** The Secrets Manager secret with the master `username` and `password` (JSON). */
  public readonly credentialsSecretArn: pulumi.Output<string>;

  constructor(name: string, args: ServiceDatabaseArgs, opts?: pulumi.ComponentResourceOptions) {
    super("pipelines:service:Database", name, {}, opts);
    const subnetGroup = new aws.rds.SubnetGroup(
      `${name}-subnets`,
      { subnetIds: args.subnetIds, description: "Private subnets of the cupping service database" },
      { parent: this },
    );
    const parameters = new aws.rds.ParameterGroup(
      `${name}-parameters`,
      {
        family: postgres.parameterGroupFamily,
        description: "Cupping service database: TLS required",
        parameters: [...databaseParameters],
      },
      { parent: this },
    );

    this.instance = new aws.rds.Instance(
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
        kmsKeyId: args.keyArn,
        dbName: postgres.databaseName,
        port: postgres.port,
        username: postgres.masterUsername,
        ...(args.password
          ? { password: args.password }
          : { manageMasterUserPassword: true, masterUserSecretKmsKeyId: args.keyArn }),
        dbSubnetGroupName: subnetGroup.name,
        vpcSecurityGroupIds: [args.securityGroupId],
        parameterGroupName: parameters.name,
        publiclyAccessible: false,
        // The API signs in with IAM tokens (rds-db:connect on its database user); the migrator keeps the password.
        iamDatabaseAuthenticationEnabled: true,
        multiAz: args.multiAz,
        deletionProtection: args.deletionProtection,
        backupRetentionPeriod: args.backupRetentionDays,
        copyTagsToSnapshot: true,
        skipFinalSnapshot: !args.finalSnapshot,
        ...(args.finalSnapshot
          ? {
              finalSnapshotIdentifier: `${name}-final-${pulumi.getStack()}`,
              deleteAutomatedBackups: false,
            }
          : {}),
        performanceInsightsEnabled: args.performanceInsights,
        ...(args.performanceInsights
          ? { performanceInsightsKmsKeyId: args.keyArn, performanceInsightsRetentionPeriod: 7 }
          : {}),
      },
      { parent: this },
    );

    this.credentialsSecretArn = args.password
      ? this.configuredCredentials(name, args.password, args.keyArn)
      : this.instance.masterUserSecrets.apply((secrets) => managedSecretArn(secrets));
    this.address = this.instance.address;
    this.endpoint = this.instance.endpoint;
    this.registerOutputs({
      address: this.address,
      endpoint: this.endpoint,
      credentialsSecretArn: this.credentialsSecretArn,
    });
  }

  // The configured password, in the shape RDS-managed secrets have, so the functions read both the same way.
  private configuredCredentials(
    name: string,
    password: pulumi.Output<string>,
    keyArn: pulumi.Input<string>,
  ): pulumi.Output<string> {
    const secret = new aws.secretsmanager.Secret(
      `${name}-credentials`,
      { description: "Master credentials of the cupping service database", kmsKeyId: keyArn },
      { parent: this },
    );
    new aws.secretsmanager.SecretVersion(
      `${name}-credentials`,
      {
        secretId: secret.id,
        secretString: pulumi.secret(
          pulumi.jsonStringify({ username: postgres.masterUsername, password }),
        ),
      },
      { parent: this },
    );
    return secret.arn;
  }
}

function managedSecretArn(secrets: ReadonlyArray<{ secretArn: string }> | undefined): string {
  const arn = secrets?.[0]?.secretArn;
  if (!arn)
    throw new Error("RDS reported no master user secret although manageMasterUserPassword is on");
  return arn;
}
