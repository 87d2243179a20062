import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { PackageRepositoryPlan } from "./plan";

export interface PackageRepositoryArgs {
  /** Domain and repository names from the stage plan. */
  readonly plan: PackageRepositoryPlan;
}

/** The CodeArtifact domain and npm repository the Publish stage publishes releases to. */
export class PackageRepository extends pulumi.ComponentResource {
  readonly domainName: pulumi.Output<string>;
  readonly repositoryName: pulumi.Output<string>;
  readonly repositoryArn: pulumi.Output<string>;

  constructor(name: string, args: PackageRepositoryArgs, opts?: pulumi.ComponentResourceOptions) {
    super("pipelines:cicd:PackageRepository", name, {}, opts);
    const domain = new aws.codeartifact.Domain(
      `${name}-domain`,
      { domain: args.plan.domain },
      { parent: this },
    );
    const repository = new aws.codeartifact.Repository(
      `${name}-repository`,
      {
        domain: domain.domain,
        repository: args.plan.repository,
        description: `Released npm packages of ${args.plan.packageName}`,
      },
      { parent: this },
    );
    this.domainName = domain.domain;
    this.repositoryName = repository.repository;
    this.repositoryArn = repository.arn;
    this.registerOutputs({
      domainName: this.domainName,
      repositoryName: this.repositoryName,
      repositoryArn: this.repositoryArn,
    });
  }
}
