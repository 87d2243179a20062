import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
export interface SourceConnectionArgs {
  /**
   * An existing connection to use.
   * @default a new GitHub connection named `name`, which AWS leaves PENDING until completed in the console
   */
  readonly connectionArn?: string;
  /** Name of the connection the component creates (AWS allows 32 characters; see `connectionName`). */
  readonly name: string;
}

/**
 * The CodeStar (CodeConnections) connection to GitHub the pipeline's source action uses: the configured one, or one
 * the stack creates. AWS creates a connection PENDING; it works once someone completes the handshake in the console.
 */
export class SourceConnection extends pulumi.ComponentResource {
  /** ARN of the connection the pipeline uses. */
  readonly arn: pulumi.Output<string>;
  /** Status of the connection the stack created (PENDING until activated in the console); absent for a configured one. */
  readonly status?: pulumi.Output<string>;

  constructor(name: string, args: SourceConnectionArgs, opts?: pulumi.ComponentResourceOptions) {
    super("pipelines:github:SourceConnection", name, {}, opts);
    if (args.connectionArn) {
      this.arn = pulumi.output(args.connectionArn);
    } else {
      const connection = new aws.codestarconnections.Connection(
        `${name}-github`,
        { name: args.name, providerType: "GitHub" },
        { parent: this },
      );
      this.arn = connection.arn;
      this.status = connection.connectionStatus;
    }
    this.registerOutputs({ arn: this.arn, status: this.status });
  }
}

// AWS limits connection names to 32 characters; the console lists them by name, so keep project and stack readable.
export function connectionName(project: string, stack: string): string {
  return `${project}-${stack}`.slice(0, 32);
}
