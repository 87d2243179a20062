import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { serviceRole, type RolePlacement } from "../iam";
import { liveAlias, trafficShifts, type CanaryTarget, type TrafficShift } from "./traffic-shift";

export interface CanaryReleaseArgs {
  /** The API function; it must publish versions. */
  readonly function: aws.lambda.Function;
  /** The alias the HTTP API invokes (see `liveAliasFor`). */
  readonly alias: aws.lambda.Alias;
  /** How traffic moves to a new version. */
  readonly trafficShift: TrafficShift;
  /** The rollback alarms (the API's 5xx rate and the function's errors): their names stop a shift, their ARNs scope the role. */
  readonly rollbackAlarms: ReadonlyArray<aws.cloudwatch.MetricAlarm>;
  /** Path and permissions boundary of CodeDeploy's role. */
  readonly roles: RolePlacement;
}

/**
 * The `live` alias of a function: created on its first version, then left to CodeDeploy (ignoreChanges), so Pulumi
 * and CodeDeploy never fight over it.
 */
export function liveAliasFor(
  name: string,
  fn: aws.lambda.Function,
  parent: pulumi.Resource,
): aws.lambda.Alias {
  return new aws.lambda.Alias(
    name,
    {
      name: liveAlias,
      functionName: fn.name,
      functionVersion: fn.version,
      description: "Traffic of the HTTP API; CodeDeploy shifts it",
    },
    { parent, ignoreChanges: ["functionVersion", "routingConfig"] },
  );
}

/**
 * Canary releases of the API function: a CodeDeploy application and deployment group that move its `live` alias to
 * each new version, rolling back when a rollback alarm goes off.
 */
export class CanaryRelease extends pulumi.ComponentResource {
  /** What the deploy needs to start a shift (see canaryDeployCommands). */
  public readonly target: pulumi.Output<CanaryTarget>;

  constructor(name: string, args: CanaryReleaseArgs, opts?: pulumi.ComponentResourceOptions) {
    super("pipelines:service:CanaryRelease", name, {}, opts);
    const application = new aws.codedeploy.Application(
      `${name}-application`,
      { computePlatform: "Lambda" },
      { parent: this },
    );
    const role = serviceRole(
      `${name}-role`,
      {
        service: "codedeploy.amazonaws.com",
        description: "CodeDeploy shifts the cupping API's live alias",
        placement: args.roles,
      },
      { parent: this },
    );
    // What AWSCodeDeployRoleForLambda grants on "*", narrowed to this function and its alarms (no hooks, no triggers).
    const policy = new aws.iam.RolePolicy(
      `${name}-policy`,
      {
        role: role.id,
        policy: pulumi
          .all([args.function.arn, ...args.rollbackAlarms.map((alarm) => alarm.arn)])
          .apply(([functionArn, ...alarmArns]) =>
            JSON.stringify({
              Version: "2012-10-17",
              Statement: [
                {
                  Sid: "ShiftTheLiveAlias",
                  Effect: "Allow",
                  Action: [
                    "lambda:GetAlias",
                    "lambda:UpdateAlias",
                    "lambda:GetProvisionedConcurrencyConfig",
                  ],
                  Resource: [functionArn, `${functionArn}:*`],
                },
                {
                  Sid: "WatchRollbackAlarms",
                  Effect: "Allow",
                  Action: ["cloudwatch:DescribeAlarms"],
                  Resource: alarmArns,
                },
              ],
            }),
          ),
      },
      { parent: this },
    );
    const group = new aws.codedeploy.DeploymentGroup(
      `${name}-group`,
      {
        appName: application.name,
        deploymentGroupName: "api",
        deploymentConfigName: trafficShifts[args.trafficShift],
        serviceRoleArn: role.arn,
        deploymentStyle: { deploymentOption: "WITH_TRAFFIC_CONTROL", deploymentType: "BLUE_GREEN" },
        alarmConfiguration: {
          enabled: true,
          alarms: args.rollbackAlarms.map((alarm) => alarm.name),
        },
        autoRollbackConfiguration: {
          enabled: true,
          events: ["DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_ALARM"],
        },
      },
      { parent: this, dependsOn: [policy] },
    );
    this.target = pulumi
      .all([application.name, group.deploymentGroupName, args.function.name, args.function.version])
      .apply(([applicationName, deploymentGroup, functionName, version]) => ({
        application: applicationName,
        deploymentGroup,
        functionName,
        alias: liveAlias,
        version,
      }));
    this.registerOutputs({ target: this.target });
  }
}
