import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { serviceRole, type RolePlacement } from "../iam";
import { functionPolicy, type DatabaseSignIn } from "./function-policy";

/** The Node.js runtime and architecture every service function runs on. */
export const functionRuntime = {
  runtime: aws.lambda.Runtime.NodeJS22dX,
  architecture: "arm64",
} as const;

export interface ServiceFunctionArgs {
  /** What the function does, for the console. */
  readonly description: string;
  /** The bundle to run. */
  readonly code: pulumi.asset.Archive;
  /** Handler inside the bundle, as file.export. */
  readonly handler: string;
  /** Environment variables; never secrets (a database password stays in Secrets Manager). */
  readonly environment: pulumi.Input<Record<string, pulumi.Input<string>>>;
  /** Memory in MB. */
  readonly memoryMb: number;
  /** Timeout in seconds. */
  readonly timeoutSeconds: number;
  /** Reserved concurrency; absent means unreserved. */
  readonly reservedConcurrency?: number;
  /** Private subnets the function runs in. */
  readonly subnetIds: pulumi.Input<pulumi.Input<string>[]>;
  /** Security group of the function's network interfaces. */
  readonly securityGroupId: pulumi.Input<string>;
  /** Days the function's logs are kept. */
  readonly logRetentionDays: number;
  /** How the function signs in to the database: the secret it may read, or the database user it may connect as. */
  readonly database: pulumi.Input<DatabaseSignIn>;
  /** AWS region of the stack. */
  readonly region: string;
  /** Publish a numbered version on every code or configuration change (for an alias that shifts traffic). @default false */
  readonly publish?: boolean;
  /** Resources that must be in place before the function's code changes (e.g. the migration run). */
  readonly updateAfter?: readonly pulumi.Resource[];
  /** Path and permissions boundary of the function's role. */
  readonly roles: RolePlacement;
}

/** A service Lambda function in the private subnets, with its own log group and a role that reaches only what it needs. */
export class ServiceFunction extends pulumi.ComponentResource {
  public readonly function: aws.lambda.Function;
  public readonly functionName: pulumi.Output<string>;

  constructor(name: string, args: ServiceFunctionArgs, opts?: pulumi.ComponentResourceOptions) {
    super("pipelines:service:Function", name, {}, opts);
    const logGroup = new aws.cloudwatch.LogGroup(
      `${name}-logs`,
      { retentionInDays: args.logRetentionDays },
      { parent: this },
    );
    const role = serviceRole(
      `${name}-role`,
      {
        service: "lambda.amazonaws.com",
        description: `Runs ${args.description}`,
        placement: args.roles,
      },
      { parent: this },
    );
    const policy = new aws.iam.RolePolicy(
      `${name}-policy`,
      {
        role: role.id,
        policy: pulumi
          .all([logGroup.arn, pulumi.output(args.database)])
          .apply(([logGroupArn, database]) =>
            JSON.stringify(
              functionPolicy({
                logGroupArn,
                database,
                region: args.region,
              }),
            ),
          ),
      },
      { parent: this },
    );

    this.function = new aws.lambda.Function(
      `${name}-function`,
      {
        description: args.description,
        runtime: functionRuntime.runtime,
        architectures: [functionRuntime.architecture],
        code: args.code,
        handler: args.handler,
        role: role.arn,
        memorySize: args.memoryMb,
        timeout: args.timeoutSeconds,
        reservedConcurrentExecutions: args.reservedConcurrency,
        // The code derives its database timeouts from the function's own timeout (lambdas/cupping/timeouts.ts).
        environment: {
          variables: pulumi.output(args.environment).apply((variables) => ({
            ...variables,
            FUNCTION_TIMEOUT_SECONDS: String(args.timeoutSeconds),
          })),
        },
        vpcConfig: { subnetIds: args.subnetIds, securityGroupIds: [args.securityGroupId] },
        loggingConfig: { logFormat: "JSON", logGroup: logGroup.name },
        publish: args.publish ?? false,
      },
      // Lambda checks the role's network-interface permissions when it creates the function.
      { parent: this, dependsOn: [policy, ...(args.updateAfter ?? [])] },
    );
    this.functionName = this.function.name;
    this.registerOutputs({ functionName: this.functionName });
  }
}
