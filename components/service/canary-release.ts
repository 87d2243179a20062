import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { liveAlias, trafficShifts, type CanaryTarget, type TrafficShift } from "./traffic-shift";

export interface CanaryReleaseArgs {
  /** The API function; it must publish versions. */
  readonly function: aws.lambda.Function;
  /** The alias the HTTP API invokes (see `liveAliasFor`). */
  readonly alias: aws.lambda.Alias;
  /** How traffic moves to a new version. */
  readonly trafficShift: TrafficShift;
  /** Alarm names that stop and roll back a shift (the API's 5xx rate and the function's errors). */
  readonly rollbackAlarms: pulumi.Input<pulumi.Input<string>[]>;
}

/**
 * The `live` alias of a function: created on its first version, then left to CodeDeploy (ignoreChanges), so Pulumi
 * and CodeDeploy never fight over it.
 */
export function liveAliasFor(name: string, fn: aws.lambda.Function, parent: pulumi.Resource): aws.lambda.Alias {
  return new aws.lambda.Alias(
    name,
    { name: liveAlias, functionName: fn.name, functionVersion: fn.version, description: "Traffic of the HTTP API; CodeDeploy shifts it" },
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
    const application = new aws.codedeploy.Application(`${name}-application`, { computePlatform: "Lambda" }, { parent: this });
    const role = new aws.iam.Role(
      `${name}-role`,
      {
        description: "CodeDeploy shifts the cupping API's alias",
        assumeRolePolicy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: "codedeploy.amazonaws.com" }, Action: "sts:AssumeRole" }] }),
        managedPolicyArns: ["arn:aws:iam::aws:policy/service-role/AWSCodeDeployRoleForLambda"],
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
        alarmConfiguration: { enabled: true, alarms: args.rollbackAlarms },
        autoRollbackConfiguration: { enabled: true, events: ["DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_ALARM"] },
      },
      { parent: this },
    );
    this.target = pulumi
      .all([application.name, group.deploymentGroupName, args.function.name, args.function.version])
      .apply(([applicationName, deploymentGroup, functionName, version]) => ({ application: applicationName, deploymentGroup, functionName, alias: liveAlias, version }));
    this.registerOutputs({ target: this.target });
  }
}
