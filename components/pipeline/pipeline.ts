import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { StackSettings } from "../../stacks/settings";
import { ApprovalTopic } from "./approval";
import { ArtifactStore } from "./artifact-store";
import { BuildProject, type BuildVpc } from "./build-project";
import { renderBuildspec } from "./buildspec";
import { generatedBuildspec } from "./buildspecs";
import { pulumiCliVersion } from "./buildspecs/common";
import { DeployCredentials } from "./deploy-credentials";
import { deployPolicyStatements } from "./deploy-policy";
import { PackageRepository } from "./package-repository";
import { assertSoundPlan } from "./plan-rules";
import { projectsOf, sourceActionOf, stagePlan, type CodeBuildStage, type ConfigurationValue, type DeploySecret, type ProjectPlan, type Reference, type StagePlan } from "./plan";
import { assumeRolePolicy, pipelineRolePolicy, publishPolicyStatements, type Account, type PolicyStatement, type SourceCredential } from "./policies";
import { RepositoryCredential } from "./repository-credential";

// The Deploy stage installs the Pulumi CLI of the SDK this program runs with.

export interface PipelineArgs {
  /** The stack's settings: stages, source, build, deploy and publish options, retention. */
  readonly settings: StackSettings;
  /** CodeStar connection the Source stage uses (source kind "connection" only). */
  readonly connectionArn?: pulumi.Input<string>;
  /** Runs the build projects in this VPC; absent runs them on CodeBuild's own network. */
  readonly buildVpc?: BuildVpc;
}

/**
 * The CI/CD pipeline of one stack: a CodePipeline (V2) rendered from the stage plan, its artifact store, a CodeBuild
 * project per build stage, the approval topic, the Deploy stage's credentials and the Publish stage's npm repository.
 */
export class Pipeline extends pulumi.ComponentResource {
  /** What the pipeline is made of, as plain data. */
  readonly plan: StagePlan;
  readonly pipelineName: pulumi.Output<string>;
  readonly pipelineArn: pulumi.Output<string>;
  /** The pipeline in the AWS console. */
  readonly pipelineUrl: pulumi.Output<string>;
  readonly artifactBucketName: pulumi.Output<string>;
  /** Build badge URL of each CodeBuild stage. */
  readonly badgeUrls: pulumi.Output<Partial<Record<CodeBuildStage, string>>>;
  /** Name of the Source action, which the push webhook targets. */
  readonly sourceActionName: string;

  constructor(name: string, args: PipelineArgs, opts?: pulumi.ComponentResourceOptions) {
    super("pipelines:cicd:Pipeline", name, {}, opts);
    const { settings } = args;
    const parent = { parent: this };
    const plan = stagePlan(settings);
    assertSoundPlan(plan);
    if (settings.source.kind === "connection" && args.connectionArn === undefined) {
      throw new Error(`the ${name} pipeline reads its source through a CodeStar connection: pass its ARN as connectionArn`);
    }

    const account: pulumi.Output<Account> = pulumi
      .all([aws.getCallerIdentityOutput({}, parent), aws.getPartitionOutput({}, parent)])
      .apply(([identity, partition]) => ({ partition: partition.partition, region: settings.region, accountId: identity.accountId }));

    const store = new ArtifactStore(`${name}-artifacts`, { account, retentionDays: settings.retention.artifactDays }, parent);
    const role = new aws.iam.Role(`${name}-role`, { description: `CodePipeline ${plan.pipelineName}`, assumeRolePolicy: JSON.stringify(assumeRolePolicy("codepipeline.amazonaws.com")) }, parent);

    const approval = settings.stages.approval
      ? new ApprovalTopic(`${name}-approval`, { emails: settings.approval.emails, account, publisherRoleArn: role.arn }, parent)
      : undefined;
    const projects = projectsOf(plan);
    const credentials = deployCredentials(`${name}-deploy-credentials`, settings, projects, this);
    // The settings require github:token for the webhook source, and the check above a connection ARN for the other.
    const sourceCredential: pulumi.Input<SourceCredential> =
      settings.source.kind === "connection"
        ? pulumi.output(args.connectionArn!).apply((arn) => ({ kind: "connection" as const, arn }))
        : new RepositoryCredential(`${name}-github-source`, { token: settings.github.token! }, parent).secretArn.apply((arn) => ({ kind: "secret" as const, arn }));

    const repository = plan.packageRepository;
    const packages = repository ? new PackageRepository(`${name}-publish-packages`, { plan: repository }, parent) : undefined;
    const extraStatements: Partial<Record<CodeBuildStage, pulumi.Output<PolicyStatement[]>>> = {
      deploy: account.apply(deployPolicyStatements),
      publish: repository ? account.apply((a) => publishPolicyStatements({ account: a, domain: repository.domain, repository: repository.repository })) : undefined,
    };
    const builds = projects.map(
      (project) =>
        new BuildProject(`${name}-${project.stage}`, {
          project,
          buildspec: (reportGroups) => renderBuildspec(generatedBuildspec(project, reportGroups, { settings, pulumiVersion: pulumiCliVersion })),
          environment: settings.build,
          artifacts: { bucketName: store.bucketName, bucketArn: store.bucketArn, keyArn: store.keyArn, prefix: plan.artifactPrefix },
          logRetentionDays: settings.retention.logDays,
          secrets: credentials?.secretArns,
          badgeSource: { location: `https://github.com/${settings.repository.fullName}.git`, credential: sourceCredential },
          account,
          extraStatements: extraStatements[project.stage],
          vpc: args.buildVpc,
        }, { parent: this, dependsOn: project.stage === "publish" && packages ? [packages] : [] }),
    );

    const rolePolicy = new aws.iam.RolePolicy(`${name}-role-policy`, {
      role: role.id,
      policy: pulumi
        .all([store.bucketArn, store.keyArn, builds.map((b) => b.projectArn), builds.map((b) => b.roleArn), approval?.topicArn, approval?.keyArn, args.connectionArn])
        .apply(([bucketArn, keyArn, projectArns, projectRoleArns, topicArn, topicKeyArn, connectionArn]) =>
          JSON.stringify(
            pipelineRolePolicy({
              bucketArn,
              keyArn,
              projectArns,
              projectRoleArns,
              approval: topicArn && topicKeyArn ? { topicArn, keyArn: topicKeyArn } : undefined,
              connectionArn,
            }),
          ),
        ),
    }, parent);

    const references: Readonly<Record<Reference["ref"], pulumi.Input<string> | undefined>> = {
      githubToken: settings.github.token,
      connectionArn: args.connectionArn,
      approvalTopicArn: approval?.topicArn,
    };
    const resolve = (value: ConfigurationValue): pulumi.Input<string> => {
      if (typeof value === "string") return value;
      const resolved = references[value.ref];
      if (resolved === undefined) throw new Error(`the ${name} pipeline plan refers to ${value.ref}, which the pipeline does not have`);
      return resolved;
    };

    const pipeline = new aws.codepipeline.Pipeline(`${name}-pipeline`, {
      name: plan.pipelineName,
      pipelineType: "V2",
      // A newer run replaces one still waiting (at the approval, say): what ships is always the latest tested commit.
      executionMode: "SUPERSEDED",
      roleArn: role.arn,
      artifactStores: [{ type: "S3", location: store.bucketName, encryptionKey: { type: "KMS", id: store.keyArn } }],
      stages: plan.stages.map((stage) => ({
        name: stage.name,
        actions: stage.actions.map((a) => ({
          name: a.name,
          category: a.category,
          owner: a.owner,
          provider: a.provider,
          version: a.version,
          runOrder: a.runOrder,
          inputArtifacts: [...a.inputArtifacts],
          outputArtifacts: [...a.outputArtifacts],
          namespace: a.namespace,
          configuration: Object.fromEntries(Object.entries(a.configuration).map(([key, value]) => [key, resolve(value)])),
        })),
      })),
      triggers: plan.triggers.map((trigger) => ({
        providerType: trigger.providerType,
        gitConfiguration: {
          sourceActionName: trigger.sourceActionName,
          pushes: [{ branches: { includes: [...trigger.branches] }, filePaths: trigger.filePaths.length > 0 ? { includes: [...trigger.filePaths] } : undefined }],
        },
      })),
    }, { parent: this, dependsOn: [rolePolicy] });

    this.plan = plan;
    this.pipelineName = pipeline.name;
    this.pipelineArn = pipeline.arn;
    this.pipelineUrl = pulumi.interpolate`https://${settings.region}.console.aws.amazon.com/codesuite/codepipeline/pipelines/${pipeline.name}/view?region=${settings.region}`;
    this.artifactBucketName = store.bucketName;
    this.badgeUrls = pulumi
      .all(builds.flatMap((build, index) => (build.badgeUrl ? [build.badgeUrl.apply((url) => [projects[index].stage, badgeForBranch(url, settings.branch)] as const)] : [])))
      .apply((pairs) => Object.fromEntries(pairs));
    this.sourceActionName = sourceActionOf(plan).name;
    this.registerOutputs({
      pipelineName: this.pipelineName,
      pipelineArn: this.pipelineArn,
      pipelineUrl: this.pipelineUrl,
      artifactBucketName: this.artifactBucketName,
      badgeUrls: this.badgeUrls,
      sourceActionName: this.sourceActionName,
    });
  }
}

/** The badge of the stack's branch: CodeBuild's badge URL names the repository's default branch. */
export function badgeForBranch(badgeUrl: string, branch: string): string {
  const url = new URL(badgeUrl);
  url.searchParams.set("branch", branch);
  return url.toString();
}

/** Secrets Manager secrets for the secrets the Deploy project's variables name; none when there is no Deploy stage. */
function deployCredentials(name: string, settings: StackSettings, projects: readonly ProjectPlan[], parent: pulumi.Resource): DeployCredentials | undefined {
  const wanted = projects.flatMap((p) => p.variables.flatMap((v) => (v.type === "SECRETS_MANAGER" ? [v.secret] : [])));
  if (wanted.length === 0) return undefined;
  const values: Readonly<Record<DeploySecret, pulumi.Output<string> | undefined>> = {
    pulumiAccessToken: settings.deploy.accessToken,
    pulumiConfigPassphrase: settings.deploy.configPassphrase,
  };
  return new DeployCredentials(name, { values: Object.fromEntries(wanted.map((secret) => [secret, values[secret]])) }, { parent });
}
