import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { BuildProject } from "./build-project";
import { grantStatements } from "./grants";
import { generatedBuildspecOf, type ProjectContext } from "./pipeline";
import type { DriftCheckPlan } from "./plan";
import { policyDocument, serviceRole, type Account, type PolicyStatement } from "../iam";

export interface DriftCheckArgs {
  /** The check the stage plan describes: its schedule, the branch it builds, its project. */
  readonly plan: DriftCheckPlan;
  /** What its project shares with the pipeline's projects (`Pipeline.projectContext`). */
  readonly context: ProjectContext;
  /** Account, region and partition its grants name (`Pipeline.account`). */
  readonly account: pulumi.Input<Account>;
  /** The notifications topic that hears about drift (Slack, e-mail). */
  readonly topicArn: pulumi.Input<string>;
  /** The KMS key the topic is encrypted with. */
  readonly topicKeyArn: pulumi.Input<string>;
}

/** Publish to the notifications topic, encrypting with its key. */
export function notifyStatements(topicArn: string, keyArn: string): PolicyStatement[] {
  return [
    { Sid: "PublishDrift", Effect: "Allow", Action: ["sns:Publish"], Resource: [topicArn] },
    {
      Sid: "EncryptForTopic",
      Effect: "Allow",
      Action: ["kms:GenerateDataKey*", "kms:Decrypt"],
      Resource: [keyArn],
    },
  ];
}

/**
 * The scheduled drift check: an EventBridge schedule starts a CodeBuild project with a read-only role on the stack's
 * branch; it runs `pulumi preview --refresh --expect-no-changes` and tells the notifications topic what drifted.
 */
export class DriftCheck extends pulumi.ComponentResource {
  readonly projectName: pulumi.Output<string>;
  readonly scheduleRuleName: pulumi.Output<string>;

  constructor(name: string, args: DriftCheckArgs, opts?: pulumi.ComponentResourceOptions) {
    super("pipelines:cicd:DriftCheck", name, {}, opts);
    const parent = { parent: this };
    const { plan } = args;

    const project = new BuildProject(
      name,
      {
        ...args.context,
        project: plan.project,
        buildspec: generatedBuildspecOf(plan.project),
        extraStatements: pulumi
          .all([args.account, args.topicArn, args.topicKeyArn])
          .apply(([account, topicArn, keyArn]) => [
            ...plan.project.grants.flatMap((grant) =>
              grantStatements(grant, account, args.context.roles),
            ),
            ...notifyStatements(topicArn, keyArn),
          ]),
      },
      parent,
    );

    const rule = new aws.cloudwatch.EventRule(
      `${name}-schedule`,
      { description: `Drift check of ${plan.project.name}`, scheduleExpression: plan.schedule },
      parent,
    );
    const role = serviceRole(
      `${name}-events-role`,
      {
        service: "events.amazonaws.com",
        description: `EventBridge starts ${plan.project.name}`,
        placement: args.context.roles,
      },
      parent,
    );
    const rolePolicy = new aws.iam.RolePolicy(
      `${name}-events-role-policy`,
      {
        role: role.id,
        policy: project.projectArn.apply((arn) =>
          JSON.stringify(
            policyDocument([
              {
                Sid: "StartDriftCheck",
                Effect: "Allow",
                Action: ["codebuild:StartBuild"],
                Resource: [arn],
              },
            ]),
          ),
        ),
      },
      parent,
    );
    // StartBuild's own parameters: the branch to check, and where to report.
    const input = pulumi.output(args.topicArn).apply((topicArn) =>
      JSON.stringify({
        sourceVersion: plan.branch,
        environmentVariablesOverride: [
          { name: "NOTIFICATION_TOPIC_ARN", value: topicArn, type: "PLAINTEXT" },
        ],
      }),
    );
    new aws.cloudwatch.EventTarget(
      `${name}-target`,
      { rule: rule.name, arn: project.projectArn, roleArn: role.arn, input },
      { parent: this, dependsOn: [rolePolicy] },
    );

    this.projectName = project.projectName;
    this.scheduleRuleName = rule.name;
    this.registerOutputs({
      projectName: this.projectName,
      scheduleRuleName: this.scheduleRuleName,
    });
  }
}
