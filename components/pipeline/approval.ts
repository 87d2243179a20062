import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { Account } from "../iam";
import { keyPolicy } from "./policies";

export interface ApprovalTopicArgs {
  /** Who is asked to approve a release: each address gets an e-mail subscription (confirmed by its owner). */
  readonly emails: readonly string[];
  /** Account, region and partition the key policy names. */
  readonly account: pulumi.Input<Account>;
  /** The pipeline's role, which publishes the approval requests. */
  readonly publisherRoleArn: pulumi.Input<string>;
}

/** The manual approval's notifications: an SNS topic encrypted with its own rotating key, and the approvers' e-mails. */
export class ApprovalTopic extends pulumi.ComponentResource {
  readonly topicArn: pulumi.Output<string>;
  readonly keyArn: pulumi.Output<string>;

  constructor(name: string, args: ApprovalTopicArgs, opts?: pulumi.ComponentResourceOptions) {
    super("pipelines:cicd:ApprovalTopic", name, {}, opts);
    const parent = { parent: this };

    const key = new aws.kms.Key(
      `${name}-key`,
      {
        description: `Encrypts the release approval requests of ${name}`,
        enableKeyRotation: true,
        deletionWindowInDays: 30,
        policy: pulumi.all([args.account, args.publisherRoleArn]).apply(([account, roleArn]) =>
          JSON.stringify(
            keyPolicy(account, [
              // The pipeline publishes approval requests through its role; SNS decrypts them to deliver the e-mails.
              {
                sid: "PipelinePublishesApprovalRequests",
                principal: { AWS: roleArn },
                actions: ["kms:GenerateDataKey*", "kms:Decrypt"],
              },
              {
                sid: "SnsDeliversApprovalRequests",
                principal: { Service: "sns.amazonaws.com" },
                actions: ["kms:GenerateDataKey*", "kms:Decrypt"],
              },
            ]),
          ),
        ),
      },
      parent,
    );
    const topic = new aws.sns.Topic(
      `${name}-topic`,
      { displayName: "Release approval", kmsMasterKeyId: key.arn },
      parent,
    );
    // Named after the address, so that adding or removing one leaves the others' confirmed subscriptions alone.
    for (const email of args.emails) {
      new aws.sns.TopicSubscription(
        `${name}-email-${email.toLowerCase().replace(/[^a-z0-9]+/g, "-")}`,
        { topic: topic.arn, protocol: "email", endpoint: email },
        parent,
      );
    }

    this.topicArn = topic.arn;
    this.keyArn = key.arn;
    this.registerOutputs({ topicArn: this.topicArn, keyArn: this.keyArn });
  }
}
