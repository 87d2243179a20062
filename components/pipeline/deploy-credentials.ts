import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { DeploySecret } from "./plan";

export interface DeployCredentialsArgs {
  /** The secret values, from encrypted stack config; each becomes one Secrets Manager secret. */
  readonly values: Readonly<Partial<Record<DeploySecret, pulumi.Output<string>>>>;
}

const descriptions: Readonly<Record<DeploySecret, string>> = {
  pulumiAccessToken: "Pulumi Cloud access token of a build that runs the Pulumi CLI on this stack",
  pulumiConfigPassphrase:
    "Passphrase that decrypts this stack's secure config for a build that runs the Pulumi CLI",
};

/** Pulumi credentials in Secrets Manager, for SECRETS_MANAGER variables of a build that runs the Pulumi CLI (deploy, previews). */
export class DeployCredentials extends pulumi.ComponentResource {
  /** ARN of each secret held, by name. */
  readonly secretArns: Readonly<Partial<Record<DeploySecret, pulumi.Output<string>>>>;

  constructor(name: string, args: DeployCredentialsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("pipelines:cicd:DeployCredentials", name, {}, opts);
    const secretArns: Partial<Record<DeploySecret, pulumi.Output<string>>> = {};
    for (const [key, value] of Object.entries(args.values) as Array<
      [DeploySecret, pulumi.Output<string> | undefined]
    >) {
      if (!value) continue;
      const secret = new aws.secretsmanager.Secret(
        `${name}-${key}`,
        { description: descriptions[key], recoveryWindowInDays: 7 },
        { parent: this },
      );
      // pulumi.secret keeps the value encrypted in the state even if config handed it over in the clear.
      new aws.secretsmanager.SecretVersion(
        `${name}-${key}-value`,
        { secretId: secret.id, secretString: pulumi.secret(value) },
        { parent: this },
      );
      secretArns[key] = secret.arn;
    }
    this.secretArns = secretArns;
    this.registerOutputs({ secretArns });
  }
}
