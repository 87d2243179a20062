import * as pulumi from "@pulumi/pulumi";
import {
  connectionName,
  PullRequestPreviews,
  SourceConnection,
  Webhooks,
} from "./components/github";
import { ActionsAccess } from "./components/github-actions";
import { PermissionsBoundary, roleScope } from "./components/iam";
import { Notifications, notificationsWanted } from "./components/notifications";
import { DriftCheck, Pipeline } from "./components/pipeline";
import { ReviewStacks, sharedFromBase, type ReviewBase } from "./components/review";
import { CuppingService, serviceAlarmKeys, serviceAlarmName } from "./components/service";
import { stackSettings } from "./stacks";

const settings = stackSettings();
// The settings reader has already refused a stack that lacks a value its switches need; this names it should that change.
const required = <T>(value: T | undefined, key: string): T => {
  if (value === undefined) throw new Error(`${key}: required by this stack's settings, but unset`);
  return value;
};

/** The environment this stack manages. */
export const environment = settings.environment;
/** The branch whose pushes start the pipeline. */
export const branch = settings.branch;
/** Who runs pulumi up on this stack: the pipeline's Deploy stage, or GitHub Actions. */
export const deployer = settings.deployer;

// A review stack (pr-<n>) runs only the service, on its base stack's network, database instance and role boundary.
const review = settings.review;
const base = review ? sharedFromBase(review, settings.project) : undefined;

// Every role the stack creates sits under its path and carries this boundary, which only an administrator changes.
const boundary = base
  ? undefined
  : new PermissionsBoundary("permissions-boundary", {
      scope: roleScope({ project: settings.project, name: settings.environment }),
      region: settings.region,
    });
/** The permissions boundary of every role of the stack. */
export const permissionsBoundaryArn = boundary?.arn ?? base?.roles.permissionsBoundary;
const roles = boundary?.roles ?? base!.roles;

const connection =
  !review && settings.source.kind === "connection"
    ? new SourceConnection("source-connection", {
        connectionArn: settings.source.connectionArn,
        name: connectionName(settings.project, settings.environment),
      })
    : undefined;
/** The CodeStar connection the pipeline's source uses (source kind connection). */
export const connectionArn = connection?.arn;
/** Status of the connection the stack created: PENDING until someone completes it in the console (see README). */
export const connectionStatus = connection?.status;

// The service's alarms get names the pipeline knows beforehand: it watches them after each deploy.
const alarmNamePrefix = `cupping-${settings.environment}`;
const pipeline = review
  ? undefined
  : new Pipeline("pipeline", {
      environment: settings.environment,
      region: settings.region,
      repository: settings.repository,
      branch: settings.branch,
      stages: settings.stages,
      source: connection
        ? {
            kind: "connection",
            connectionArn: connection.arn,
            filePaths: settings.source.filePaths,
          }
        : {
            kind: "webhook",
            githubToken: required(settings.github.token, "github:token"),
            filePaths: [],
          },
      build: settings.build,
      deploy: settings.deploy,
      publish: settings.publish,
      approvalEmails: settings.approval.emails,
      release: settings.release,
      watchedAlarms: serviceAlarmKeys(settings.database.engine).map((key) =>
        serviceAlarmName(alarmNamePrefix, key),
      ),
      retention: settings.retention,
      roles,
    });
/** The CodePipeline of this stack. */
export const pipelineName = pipeline?.pipelineName;
/** The pipeline in the AWS console. */
export const pipelineUrl = pipeline?.pipelineUrl;
/** The bucket holding the pipeline's artifacts (bundles, HTML coverage report). */
export const artifactBucketName = pipeline?.artifactBucketName;
/** Build badge URL of each CodeBuild stage (build, test, deploy, publish). */
export const badgeUrls = pipeline?.badgeUrls;

const notifications =
  pipeline && notificationsWanted(settings.notifications)
    ? new Notifications("notifications", {
        environment: settings.environment,
        region: settings.region,
        pipelineArn: pipeline.pipelineArn,
        emails: settings.notifications.emails,
        slackWebhookUrl: settings.notifications.slackWebhookUrl,
        logRetentionDays: settings.retention.logDays,
        roles,
      })
    : undefined;
/** SNS topic of the pipeline's notifications (Slack, e-mail); the service's alarms publish to it too. */
export const notificationTopicArn = notifications?.topicArn;

// The drift check reports to the notifications topic; without one, nobody would hear of drift.
const drift = pipeline?.plan.driftCheck;
if (pipeline && drift && notifications) {
  new DriftCheck("drift-check", {
    plan: drift,
    context: pipeline.projectContext,
    account: pipeline.account,
    topicArn: notifications.topicArn,
    topicKeyArn: notifications.keyArn,
  });
}

// Pushes reach a webhook pipeline through GitHub's push webhook; a connection's trigger is part of the pipeline.
if (pipeline && settings.source.kind === "webhook")
  new Webhooks("push-webhook", {
    repository: settings.repository,
    branch: settings.branch,
    githubToken: required(settings.github.token, "github:token"),
    secret: settings.github.webhookSecret,
    pipelineName: pipeline.pipelineName,
    sourceActionName: pipeline.sourceActionName,
  });

const previews = settings.pullRequestPreviews
  ? new PullRequestPreviews("pull-request-previews", {
      stack: settings.environment,
      repository: settings.repository.fullName,
      branch: settings.branch,
      environment: settings.build,
      logRetentionDays: settings.retention.logDays,
      backendUrl: settings.deploy.backendUrl,
      pulumiAccessToken: settings.deploy.accessToken,
      pulumiConfigPassphrase: required(
        settings.deploy.configPassphrase,
        "pipelines:pulumiConfigPassphrase",
      ),
      sourceToken: required(settings.github.token, "github:token"),
      commentToken: required(settings.github.commentToken, "pipelines:commentToken"),
      actorIds: settings.previewActorIds,
      roles,
    })
  : undefined;
/** The CodeBuild project that tests and previews pull requests against the branch. */
export const pullRequestPreviewProject = previews?.projectName;

// GitHub Actions previews (and, for a github-actions deployer, deploys) through OIDC roles and the stack's environment.
const actions =
  settings.githubActions && !review
    ? new ActionsAccess("github-actions", {
        stack: settings.environment,
        repository: {
          owner: settings.repository.owner,
          name: settings.repository.name,
          ids: settings.githubActions.repositoryIds,
        },
        region: settings.region,
        oidcProviderArn: settings.githubActions.oidcProviderArn,
        roles,
        pulumi: {
          backendUrl: settings.deploy.backendUrl,
          configPassphrase: settings.deploy.configPassphrase,
          accessToken: settings.deploy.accessToken,
        },
        deploy:
          settings.deployer === "github-actions"
            ? { branch: settings.branch, reviewers: settings.githubActions.reviewers }
            : undefined,
      })
    : undefined;
/** The role pull-request workflows preview the stack with (githubActions on). */
export const githubPreviewRoleArn = actions?.previewRoleArn;
/** The role the stack's GitHub environment deploys it with (githubActions on, github-actions deployer). */
export const githubDeployRoleArn = actions?.deployRoleArn;

const service = new CuppingService("cupping", {
  region: settings.region,
  network: settings.network,
  database: settings.database,
  service: settings.service,
  logRetentionDays: settings.retention.logDays,
  alarmTopicArn: notifications?.topicArn,
  alarmNamePrefix,
  roles,
  sharedDatabase: base?.database,
});
/** The cupping API's invoke URL; the pipeline's deploy smoke test calls it. */
export const apiUrl = service.apiUrl;
/** The service database's host:port (its credentials stay in Secrets Manager). */
export const databaseEndpoint = service.databaseEndpoint;
/** The database the Deploy stage snapshots before pending migrations (pipelines:dbFinalSnapshot on). */
export const snapshotBeforeMigrations = service.snapshotTarget;
/** The service's Lambda function names (api, migrate). */
export const functionNames = service.functionNames;
/** What the Deploy stage shifts traffic with: CodeDeploy application and group, the API function, alias and new version. */
export const canary = service.canary;

const reviewStacks = settings.reviewStacks.enabled
  ? new ReviewStacks("review-stacks", {
      settings,
      roles,
      databaseFunctionName: service.functionNames.apply((names) => names.migrate),
    })
  : undefined;
/** The CodeBuild projects that deploy, tear down and sweep the review stacks of pull requests (reviewStacks on). */
export const reviewStackProjects = reviewStacks?.projectNames;

/** What this stack's review stacks take from it through a stack reference: network, database instance, migrator, the review boundary (reviewStacks on). */
export const reviewBase =
  reviewStacks && service.network && service.databaseAccess
    ? pulumi.output({
        vpcId: service.network.vpcId,
        privateSubnetIds: service.network.privateSubnetIds,
        functionSecurityGroupId: service.network.functionSecurityGroupId,
        databaseAddress: service.databaseAccess.address,
        databaseResourceId: service.databaseAccess.resourceId,
        migrateFunctionName: service.functionNames.apply((names) => names.migrate),
        permissionsBoundaryArn: reviewStacks.boundaryArn,
      } satisfies Record<keyof ReviewBase, pulumi.Input<unknown>>)
    : undefined;
