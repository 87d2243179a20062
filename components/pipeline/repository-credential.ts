import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

export interface RepositoryCredentialArgs {
  /** GitHub token (secret) with read access to the repository. */
  readonly token: pulumi.Output<string>;
}

/**
 * The GitHub token as a CodeBuild source credential in Secrets Manager, in the JSON form and with the tags CodeBuild
 * requires ("Create and store a token in a Secrets Manager secret", CodeBuild user guide). The build projects name it as
 * their source's credential, which their badges need.
 */
export class RepositoryCredential extends pulumi.ComponentResource {
  readonly secretArn: pulumi.Output<string>;

  constructor(
    name: string,
    args: RepositoryCredentialArgs,
    opts?: pulumi.ComponentResourceOptions,
  ) {
    super("pipelines:cicd:RepositoryCredential", name, {}, opts);
    const secret = new aws.secretsmanager.Secret(
      `${name}-secret`,
      {
        description: "GitHub token CodeBuild reads the repository with",
        recoveryWindowInDays: 7,
        tags: {
          "codebuild:source": "",
          "codebuild:source:type": "personal_access_token",
          "codebuild:source:provider": "github",
        },
      },
      { parent: this },
    );
    new aws.secretsmanager.SecretVersion(
      `${name}-value`,
      {
        secretId: secret.id,
        secretString: pulumi.secret(
          args.token.apply((token) =>
            JSON.stringify({
              ServerType: "GITHUB",
              AuthType: "PERSONAL_ACCESS_TOKEN",
              Token: token,
            }),
          ),
        ),
      },
      { parent: this },
    );
    this.secretArn = secret.arn;
    this.registerOutputs({ secretArn: this.secretArn });
  }
}
