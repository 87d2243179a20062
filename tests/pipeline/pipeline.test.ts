import { strict as assert } from "node:assert";
import { pipelineMermaid } from "../../components/pipeline/mermaid";
import { planOf } from "../../scripts/plan/model";
import {
  plainStrings,
  resourcesOfType,
  programRun,
  secretConfigValues,
  stackRegion,
  theResource,
} from "../support/harness";
import {
  isSecretValue,
  reveal,
  type CapturedResource,
  type ProgramRun,
} from "../../tooling/mocks/program-run";
import { capturedStages, identityStatements, pipelineResources, tooBroad } from "./captured";

const expectedStages: Readonly<Record<string, readonly string[]>> = {
  dev: ["Source", "Build", "Test", "Plan", "Deploy"],
  production: ["Source", "Build", "Test", "Plan", "Approval", "Deploy", "Publish"],
};

type Variable = { name: string; type: string; value: unknown };
const variablesOf = (project: CapturedResource) =>
  (project.inputs.environment as { environmentVariables?: Variable[] }).environmentVariables ?? [];
const companion = (resources: readonly CapturedResource[], type: string) => {
  const found = resources.filter((r) => r.type === type);
  assert.equal(found.length, 1, type);
  return found[0];
};

describe("the pipeline under mocks", () => {
  const runs: Record<string, ProgramRun> = {};
  before(async () => {
    for (const stack of Object.keys(expectedStages)) runs[stack] = await programRun(stack);
  });

  for (const stack of Object.keys(expectedStages)) {
    describe(`of the ${stack} stack`, () => {
      const region = stackRegion(stack);
      let run: ProgramRun;
      let ours: CapturedResource[];
      before(() => {
        run = runs[stack];
        ours = pipelineResources(run);
      });

      it("has the stack's stages in order, in a V2 pipeline", () => {
        assert.deepEqual(
          capturedStages(run).map((s) => s.name),
          expectedStages[stack],
        );
        assert.equal(
          theResource(run, "aws:codepipeline/pipeline:Pipeline").inputs.pipelineType,
          "V2",
        );
      });

      it("builds with one CodeBuild project per build stage, each with its own role, logs, badge and timeout", () => {
        const projects = resourcesOfType(run, "aws:codebuild/project:Project").filter((p) =>
          ours.includes(p),
        );
        const codeBuildStages = expectedStages[stack]
          .filter((s) => !["Source", "Approval"].includes(s))
          .map((s) => s.toLowerCase());
        assert.deepEqual(
          projects.map((p) => p.name),
          codeBuildStages.map((s) => `pipeline-${s}-project`),
        );
        const roles = new Set(projects.map((p) => p.inputs.serviceRole));
        assert.equal(roles.size, projects.length, "one role per project");
        for (const project of projects) {
          assert.equal(project.inputs.badgeEnabled, true);
          assert.equal(project.inputs.buildTimeout, 20);
          assert.match(
            String(
              (project.inputs.logsConfig as { cloudwatchLogs: { groupName: string } })
                .cloudwatchLogs.groupName,
            ),
            /^\/aws\/codebuild\/cupping-service-/,
          );
        }
        for (const logGroup of resourcesOfType(run, "aws:cloudwatch/logGroup:LogGroup").filter(
          (r) => ours.includes(r),
        ))
          assert.equal(logGroup.inputs.retentionInDays, stack === "dev" ? 14 : 90);
      });

      it("keeps the artifacts in a bucket encrypted with a rotating customer-managed key, versioned, private and TLS-only", () => {
        const store = theResource(run, "pipelines:cicd:ArtifactStore");
        const parts = ours.filter((r) => r.parent === store.urn);
        const key = companion(parts, "aws:kms/key:Key");
        assert.equal(key.inputs.enableKeyRotation, true);
        const encryption = companion(
          parts,
          "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
        );
        assert.deepEqual(
          (encryption.inputs.rules as Array<{ applyServerSideEncryptionByDefault: unknown }>)[0]
            .applyServerSideEncryptionByDefault,
          {
            sseAlgorithm: "aws:kms",
            kmsMasterKeyId: `arn:aws:kms:${region}:123456789012:key/key-${key.name}`,
          },
        );
        assert.deepEqual(
          companion(parts, "aws:s3/bucketVersioning:BucketVersioning").inputs
            .versioningConfiguration,
          { status: "Enabled" },
        );
        const publicAccess = companion(
          parts,
          "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
        ).inputs;
        assert.deepEqual(
          [
            publicAccess.blockPublicAcls,
            publicAccess.blockPublicPolicy,
            publicAccess.ignorePublicAcls,
            publicAccess.restrictPublicBuckets,
          ],
          [true, true, true, true],
        );
        const policy = JSON.parse(
          String(companion(parts, "aws:s3/bucketPolicy:BucketPolicy").inputs.policy),
        );
        assert.deepEqual(policy.Statement[0], {
          Sid: "DenyRequestsWithoutTls",
          Effect: "Deny",
          Principal: "*",
          Action: ["s3:*"],
          Resource: [
            "arn:aws:s3:::pipeline-artifacts-bucket",
            "arn:aws:s3:::pipeline-artifacts-bucket/*",
          ],
          Condition: { Bool: { "aws:SecureTransport": "false" } },
        });
        const expiry = (
          companion(parts, "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration")
            .inputs.rules as Array<Record<string, unknown>>
        )[0];
        const days = stack === "dev" ? 14 : 30;
        assert.deepEqual(
          [expiry.expiration, expiry.noncurrentVersionExpiration],
          [{ days }, { noncurrentDays: days }],
        );
        const artifactStore = (
          theResource(run, "aws:codepipeline/pipeline:Pipeline").inputs.artifactStores as Array<{
            encryptionKey: unknown;
          }>
        )[0];
        assert.deepEqual(artifactStore.encryptionKey, {
          type: "KMS",
          id: `arn:aws:kms:${region}:123456789012:key/key-${key.name}`,
        });
      });

      it("allows no IAM action '*', and no Resource '*' for actions that support resource-level permissions", () => {
        const statements = ours.flatMap(identityStatements);
        assert.ok(statements.length > 20);
        const broad = statements.flatMap(({ where, statement }) => {
          const why = tooBroad(statement);
          return why ? [`${where} ${statement.Sid ?? ""}: ${why}`] : [];
        });
        assert.deepEqual(broad, []);
      });

      it("lets the pipeline role start only its own builds, use only its bucket and key, pass only its project roles", () => {
        const statements = identityStatements(
          theResource(run, "aws:iam/rolePolicy:RolePolicy", "pipeline-role-policy"),
        ).map((s) => s.statement);
        const sid = (name: string) => statements.find((s) => s.Sid === name)!;
        const projectNames = capturedStages(run).flatMap((s) =>
          s.actions.flatMap((a) =>
            a.configuration.ProjectName ? [a.configuration.ProjectName] : [],
          ),
        );
        assert.deepEqual(
          sid("StartAndReadOwnBuilds").Resource,
          projectNames.map((n) => `arn:aws:codebuild:${region}:123456789012:project/${n}`),
        );
        assert.deepEqual(sid("ReadWriteArtifacts").Resource, [
          "arn:aws:s3:::pipeline-artifacts-bucket/*",
        ]);
        assert.deepEqual(
          sid("PassOnlyOwnProjectRoles").Resource,
          projectNames
            .map((n) => n.split("-").pop())
            .map(
              (stage) =>
                `arn:aws:iam::123456789012:role/${stage === "deploy" ? "pipelines-admin" : "pipelines"}/${stack}/pipeline-${stage}-role`,
            ),
        );
        assert.equal(
          statements.some((s) => s.Sid === "NotifyApprovers"),
          stack === "production",
        );
      });

      it("puts no secret in a PLAINTEXT variable, a buildspec or an output; secrets go as Secrets Manager references", () => {
        const secrets = secretConfigValues(run);
        assert.ok(secrets.length > 0);
        const leaks = (texts: Array<{ path: string; text: string }>, where: string) =>
          texts
            .filter(({ text }) => secrets.some((secret) => text.includes(secret)))
            .map(({ path }) => `${where}: ${path}`);
        const projects = resourcesOfType(run, "aws:codebuild/project:Project").filter((p) =>
          ours.includes(p),
        );
        const secretArns = new Set(
          resourcesOfType(run, "aws:secretsmanager/secret:Secret").map(
            (s) => `arn:aws:secretsmanager:${region}:123456789012:secret:${s.name}`,
          ),
        );
        const found = [
          ...projects.flatMap((p) =>
            leaks(
              plainStrings(variablesOf(p).filter((v) => v.type === "PLAINTEXT")),
              `${p.name} PLAINTEXT`,
            ),
          ),
          ...projects.flatMap((p) =>
            leaks(
              plainStrings(reveal((p.inputs.source as { buildspec: unknown }).buildspec)),
              `${p.name} buildspec`,
            ),
          ),
          ...leaks(plainStrings(reveal(run.outputs)), "stack outputs"),
          ...ours.flatMap((r) => leaks(plainStrings(r.inputs), r.name)),
        ];
        assert.deepEqual(found, []);
        for (const variable of projects
          .flatMap(variablesOf)
          .filter((v) => /TOKEN|PASSPHRASE/.test(v.name))) {
          assert.equal(variable.type, "SECRETS_MANAGER", variable.name);
          assert.ok(
            secretArns.has(String(variable.value)),
            `${variable.name} names a secret of the stack`,
          );
        }
        const deploy = projects.find((p) => p.name === "pipeline-deploy-project")!;
        assert.deepEqual(
          variablesOf(deploy)
            .filter((v) => v.type === "SECRETS_MANAGER")
            .map((v) => v.name),
          stack === "dev"
            ? ["PULUMI_ACCESS_TOKEN", "PULUMI_CONFIG_PASSPHRASE"]
            : ["PULUMI_CONFIG_PASSPHRASE"],
        );
        // The webhook source's token makes the engine hold the pipeline's whole stage list as a secret.
        if (run.engineConfig.config["pipelines:sourceKind"] === "webhook") {
          const stages = theResource(run, "aws:codepipeline/pipeline:Pipeline").inputs.stages;
          assert.ok(isSecretValue(stages), "the GitHub token stays a secret in the pipeline");
          assert.equal(
            capturedStages(run)[0].actions[0].configuration.OAuthToken,
            run.engineConfig.config["github:token"],
          );
        } else
          assert.equal(
            capturedStages(run)[0].actions[0].configuration.OAuthToken,
            undefined,
            "a connection source holds no GitHub token",
          );
        for (const version of resourcesOfType(
          run,
          "aws:secretsmanager/secretVersion:SecretVersion",
        ).filter((r) => ours.includes(r)))
          assert.ok(isSecretValue(version.inputs.secretString), version.name);
      });

      it("lets each build project read only the secrets handed to it", () => {
        for (const policy of resourcesOfType(run, "aws:iam/rolePolicy:RolePolicy").filter(
          (r) => ours.includes(r) && r.name !== "pipeline-role-policy",
        )) {
          const readable = identityStatements(policy).flatMap(({ statement }) =>
            statement.Action.includes("secretsmanager:GetSecretValue")
              ? [...(statement.Resource ?? [])]
              : [],
          );
          const project = resourcesOfType(run, "aws:codebuild/project:Project").find(
            (p) => p.name === policy.name.replace("-role-policy", "-project"),
          )!;
          const auth = reveal((project.inputs.source as { auth?: unknown }).auth) as
            { type: string; resource: string } | undefined;
          const handed = [
            ...variablesOf(project)
              .filter((v) => v.type === "SECRETS_MANAGER")
              .map((v) => String(v.value)),
            ...(auth?.type === "SECRETS_MANAGER" ? [String(auth.resource)] : []),
          ];
          assert.deepEqual(readable.sort(), handed.sort(), policy.name);
        }
      });

      it("exports the pipeline's name, console URL, artifact bucket and a badge per build stage", () => {
        assert.equal(run.outputs.pipelineName, `cupping-service-${stack}`);
        assert.equal(
          run.outputs.pipelineUrl,
          `https://${region}.console.aws.amazon.com/codesuite/codepipeline/pipelines/cupping-service-${stack}/view?region=${region}`,
        );
        assert.equal(run.outputs.artifactBucketName, "pipeline-artifacts-bucket");
        const badges = run.outputs.badgeUrls as Record<string, string>;
        assert.deepEqual(
          Object.keys(badges),
          expectedStages[stack]
            .filter((s) => !["Source", "Approval"].includes(s))
            .map((s) => s.toLowerCase()),
        );
        for (const url of Object.values(badges))
          assert.match(
            url,
            new RegExp(
              `^https://codebuild\\.${region}\\.amazonaws\\.com/badges\\?uuid=.*&branch=${stack === "dev" ? "main" : "production"}$`,
            ),
          );
      });

      it("draws the captured pipeline as a Mermaid flowchart of its stages", () => {
        const diagram = pipelineMermaid(planOf(run).stages);
        assert.match(diagram, new RegExp(`^ {2}${expectedStages[stack].join(" --> ")}$`, "m"));
        assert.match(diagram, /Source_Source -\. SourceArtifact \.-> Build_Build/);
        assert.match(
          diagram,
          /^ {2}Deploy -\. rollback on failure(?: or on alarm)? \.-> Deploy_rollback$/m,
        );
      });
    });
  }

  for (const stack of Object.keys(expectedStages)) {
    describe(`of the ${stack} stack, its reviewed releases`, () => {
      const region = stackRegion(stack);
      let run: ProgramRun;
      let stages: ReturnType<typeof capturedStages>;
      before(() => {
        run = runs[stack];
        stages = capturedStages(run);
      });
      const stage = (name: string) =>
        stages.find((s) => s.name === name) as unknown as Record<string, unknown> & {
          actions: Array<Record<string, unknown>>;
        };

      it("previews the run's commit in a Plan action that names its output variables and hands its plan to Deploy", () => {
        const preview = stage("Plan").actions[0];
        assert.deepEqual(
          [preview.name, preview.provider, preview.namespace, preview.outputArtifacts],
          ["Preview", "CodeBuild", "PlanVariables", ["PlanArtifact"]],
        );
        assert.deepEqual(stage("Deploy").actions[0].inputArtifacts, [
          "SourceArtifact",
          "PlanArtifact",
        ]);
        const project = theResource(run, "aws:codebuild/project:Project", "pipeline-plan-project");
        const buildspec = String(
          reveal((project.inputs.source as { buildspec: unknown }).buildspec),
        );
        assert.match(buildspec, /exported-variables:\n {4}- RISK\n {4}- CREATE/);
        assert.match(
          buildspec,
          new RegExp(
            `pulumi preview --stack ${stack} --diff --policy-pack policies --json --non-interactive > plan/preview.json`,
          ),
        );
      });

      it("gives the Plan project a read-only role: no write, no PassRole, no deploy permissions", () => {
        const statements = identityStatements(
          theResource(run, "aws:iam/rolePolicy:RolePolicy", "pipeline-plan-role-policy"),
        ).map((s) => s.statement);
        const actions = statements.flatMap((s) => s.Action);
        assert.ok(
          actions.includes("ec2:DescribeAvailabilityZones"),
          "it may read what the program's provider functions read",
        );
        assert.deepEqual(
          actions.filter(
            (a) =>
              /^(iam|lambda|rds|cloudformation|codepipeline):|^s3:(Put|Delete)/.test(a) &&
              !statements.some(
                (s) => s.Sid === "ReadWritePipelineArtifacts" && s.Action.includes(a),
              ),
          ),
          [],
        );
        assert.ok(!actions.includes("iam:PassRole"));
        if (stack === "production")
          assert.deepEqual(statements.find((s) => s.Sid === "ReadState")?.Resource, [
            "arn:aws:s3:::acme-coffee-pulumi-state/.pulumi/*",
          ]);
      });

      it("rolls the Deploy stage back on failure, and watches the service's alarms after it for the stack's minutes", () => {
        const deploy = stage("Deploy");
        assert.deepEqual(deploy.onFailure, { result: "ROLLBACK" });
        const alarmNames = resourcesOfType(run, "aws:cloudwatch/metricAlarm:MetricAlarm")
          .filter((a) => a.parent === theResource(run, "pipelines:service:CuppingService").urn)
          .map((a) => String(a.inputs.name))
          .sort();
        // Dev's Aurora database has no free-storage alarm: Aurora grows its storage by itself.
        assert.equal(alarmNames.length, stack === "dev" ? 4 : 5);
        if (stack === "dev") assert.equal(deploy.onSuccess, undefined, "dev watches for 0 minutes");
        else {
          const condition = (
            deploy.onSuccess as {
              condition: {
                result: string;
                rules: Array<{ ruleTypeId: unknown; configuration: Record<string, string> }>;
              };
            }
          ).condition;
          assert.equal(condition.result, "ROLLBACK");
          assert.deepEqual(
            condition.rules.map((r) => r.configuration.AlarmName).sort(),
            alarmNames,
            "the rules watch the alarms the service creates, by name",
          );
          assert.deepEqual(condition.rules[0].ruleTypeId, {
            category: "Rule",
            owner: "AWS",
            provider: "CloudWatchAlarm",
            version: "1",
          });
          assert.ok(
            condition.rules.every(
              (r) => r.configuration.WaitTime === "10" && r.configuration.AlarmStates === "ALARM",
            ),
          );
          const read = identityStatements(
            theResource(run, "aws:iam/rolePolicy:RolePolicy", "pipeline-role-policy"),
          )
            .map((s) => s.statement)
            .find((s) => s.Sid === "ReadWatchedAlarms");
          assert.deepEqual(
            read?.Resource,
            alarmNames.map((n) => `arn:aws:cloudwatch:${region}:123456789012:alarm:${n}`),
          );
        }
        assert.equal(
          theResource(run, "aws:codepipeline/pipeline:Pipeline").inputs.executionMode,
          "SUPERSEDED",
        );
      });
    });
  }

  describe("the drift check under mocks", () => {
    it("runs production's read-only check daily on its branch, reporting to the notifications topic; dev has none", () => {
      assert.deepEqual(resourcesOfType(runs.dev, "pipelines:cicd:DriftCheck"), []);
      const run = runs.production;
      assert.equal(
        theResource(run, "aws:cloudwatch/eventRule:EventRule", "drift-check-schedule").inputs
          .scheduleExpression,
        "rate(1 day)",
      );
      const target = theResource(
        run,
        "aws:cloudwatch/eventTarget:EventTarget",
        "drift-check-target",
      );
      const input = JSON.parse(String(reveal(target.inputs.input)));
      assert.equal(input.sourceVersion, "production");
      assert.deepEqual(input.environmentVariablesOverride, [
        {
          name: "NOTIFICATION_TOPIC_ARN",
          value: run.outputs.notificationTopicArn,
          type: "PLAINTEXT",
        },
      ]);
      const project = theResource(run, "aws:codebuild/project:Project", "drift-check-project");
      assert.equal(
        target.inputs.arn,
        `arn:aws:codebuild:${stackRegion("production")}:123456789012:project/${String(project.inputs.name)}`,
      );
      assert.match(
        String(reveal((project.inputs.source as { buildspec: unknown }).buildspec)),
        /pulumi preview --stack production --refresh --expect-no-changes --json/,
      );
      const statements = identityStatements(
        theResource(run, "aws:iam/rolePolicy:RolePolicy", "drift-check-role-policy"),
      ).map((s) => s.statement);
      const actions = statements.flatMap((s) => s.Action);
      assert.ok(
        actions.includes("rds:DescribeDBInstances") && actions.includes("sns:Publish"),
        "it reads the resources and may report",
      );
      // Beyond its own logs, artifacts, reports and the report it sends, the check only reads, and reads no secret value.
      const own = [
        "WriteOwnLogs",
        "ReadWritePipelineArtifacts",
        "UseArtifactKey",
        "ReadWriteOwnCache",
        "WriteOwnReports",
        "ReadOwnSecrets",
        "PublishDrift",
        "EncryptForTopic",
      ];
      const rest = statements.filter((s) => !own.includes(s.Sid ?? "")).flatMap((s) => s.Action);
      assert.deepEqual(
        rest.filter(
          (a) => !/^[a-z0-9-]+:(Get|Describe|List|BatchGet)/.test(a) && a !== "apigateway:GET",
        ),
        [],
      );
      assert.ok(!rest.includes("secretsmanager:GetSecretValue"), "no secret value");
      assert.deepEqual(
        statements
          .filter((s) => !own.includes(s.Sid ?? "") && s.Action.includes("s3:GetObject"))
          .map((s) => s.Resource),
        [["arn:aws:s3:::acme-coffee-pulumi-state/.pulumi/*"]],
        "objects of the state bucket only",
      );
      const events = identityStatements(
        theResource(run, "aws:iam/rolePolicy:RolePolicy", "drift-check-events-role-policy"),
      ).map((s) => s.statement);
      assert.deepEqual(events, [
        {
          Sid: "StartDriftCheck",
          Effect: "Allow",
          Action: ["codebuild:StartBuild"],
          Resource: [target.inputs.arn],
        },
      ]);
    });
  });

  describe("of the production stack, approval and publish", () => {
    it("shows approvers the Plan's summary and links to the rendered plan", () => {
      const approval = capturedStages(runs.production).find((s) => s.name === "Approval")!
        .actions[0];
      assert.match(
        approval.configuration.CustomData,
        /^Approve the release of acme-coffee\/cupping-service commit #\{SourceVariables\.CommitId\} to production .* Plan: #\{PlanVariables\.SUMMARY\}$/,
      );
      assert.ok(
        approval.configuration.CustomData.length <= 1000 - 500,
        "room for a 500-character summary in CodePipeline's 1000-character configuration value",
      );
      assert.equal(approval.configuration.ExternalEntityLink, "#{PlanVariables.PLAN_URL}");
    });

    let run: ProgramRun;
    before(() => {
      run = runs.production;
    });

    it("notifies approvers by e-mail through a topic encrypted with its own rotating key", () => {
      const topic = theResource(run, "aws:sns/topic:Topic", "pipeline-approval-topic");
      const key = theResource(run, "aws:kms/key:Key", "pipeline-approval-key");
      assert.equal(key.inputs.enableKeyRotation, true);
      assert.equal(
        topic.inputs.kmsMasterKeyId,
        `arn:aws:kms:${stackRegion("production")}:123456789012:key/key-${key.name}`,
      );
      const subscriptions = resourcesOfType(
        run,
        "aws:sns/topicSubscription:TopicSubscription",
      ).filter((s) => s.name.startsWith("pipeline-approval"));
      assert.deepEqual(
        subscriptions.map((s) => [s.inputs.protocol, s.inputs.endpoint]),
        [["email", "release-managers@example.com"]],
      );
      const keyPolicy = JSON.parse(String(key.inputs.policy)) as {
        Statement: Array<{ Sid: string; Principal: unknown }>;
      };
      assert.deepEqual(
        keyPolicy.Statement.find((s) => s.Sid === "PipelinePublishesApprovalRequests")!.Principal,
        { AWS: "arn:aws:iam::123456789012:role/pipelines/production/pipeline-role" },
      );
    });

    it("publishes to a CodeArtifact npm repository the stack creates", () => {
      const repository = theResource(run, "aws:codeartifact/repository:Repository");
      assert.deepEqual(
        [repository.inputs.domain, repository.inputs.repository],
        ["cupping-service-production", "releases"],
      );
      const publish = theResource(run, "aws:codebuild/project:Project", "pipeline-publish-project");
      assert.deepEqual(
        variablesOf(publish).map((v) => [v.name, v.value]),
        [
          ["CODEARTIFACT_DOMAIN", "cupping-service-production"],
          ["CODEARTIFACT_REPOSITORY", "releases"],
          ["PACKAGE_NAME", "cupping-service"],
        ],
      );
      const policy = identityStatements(
        theResource(run, "aws:iam/rolePolicy:RolePolicy", "pipeline-publish-role-policy"),
      ).map((s) => s.statement);
      assert.deepEqual(policy.find((s) => s.Sid === "PublishNpmPackages")!.Resource, [
        `arn:aws:codeartifact:${stackRegion("production")}:123456789012:package/cupping-service-production/releases/npm/*`,
      ]);
    });
  });
});
