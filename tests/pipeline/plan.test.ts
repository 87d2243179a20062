import { strict as assert } from "node:assert";
import { actionTypes } from "../../components/pipeline/action-types";
import {
  artifacts,
  projectsOf,
  stagePlan,
  type ActionPlan,
  type StagePlan,
  type StagePlanStage,
} from "../../components/pipeline/plan";
import { assertSoundPlan, planProblems } from "../../components/pipeline/plan-rules";
import { settingsOf } from "./settings-fixture";

const dev = stagePlan(settingsOf("dev"));
const production = stagePlan(settingsOf("production"));
const connection = stagePlan(
  settingsOf("dev", {
    "pipelines:sourceKind": "connection",
    "pipelines:connectionArn":
      "arn:aws:codeconnections:us-east-1:123456789012:connection/0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0",
    "pipelines:sourceFilePaths": ["lambdas/**", "components/**"],
  }),
);

const stageNames = (plan: StagePlan) => plan.stages.map((s) => s.name);
const onlyAction = (plan: StagePlan, stage: string) =>
  plan.stages.find((s) => s.name === stage)!.actions[0];

/** The plan with one stage's only action changed. */
function withAction(
  plan: StagePlan,
  stage: string,
  change: (action: ActionPlan) => ActionPlan,
): StagePlan {
  return {
    ...plan,
    stages: plan.stages.map((s) =>
      s.name === stage ? { ...s, actions: s.actions.map(change) } : s,
    ),
  };
}
const withStages = (
  plan: StagePlan,
  stages: (stages: readonly StagePlanStage[]) => StagePlanStage[],
): StagePlan => ({ ...plan, stages: stages(plan.stages) });

describe("the stage plan", () => {
  it("gives dev Source, Build, Test, Plan, Deploy from main", () => {
    assert.deepEqual(stageNames(dev), ["Source", "Build", "Test", "Plan", "Deploy"]);
    assert.equal(onlyAction(dev, "Source").configuration.Branch, "main");
  });

  it("gives production all seven stages from the production branch", () => {
    assert.deepEqual(stageNames(production), [
      "Source",
      "Build",
      "Test",
      "Plan",
      "Approval",
      "Deploy",
      "Publish",
    ]);
    assert.equal(onlyAction(production, "Source").configuration.BranchName, "production");
  });

  it("keeps every rule AWS enforces, for every stack and source kind", () => {
    for (const plan of [dev, production, connection])
      assert.deepEqual(planProblems(plan), [], plan.pipelineName);
  });

  it("drops a switched-off stage and nothing else", () => {
    const noTest = stagePlan(
      settingsOf("production", { "pipelines:stages": ["approval", "deploy", "publish"] }),
    );
    assert.deepEqual(stageNames(noTest), [
      "Source",
      "Build",
      "Plan",
      "Approval",
      "Deploy",
      "Publish",
    ]);
    const minimal = stagePlan(
      settingsOf("dev", { "pipelines:stages": [], "pipelines:deployer": "github-actions" }),
    );
    assert.deepEqual(stageNames(minimal), ["Source", "Build"]);
    assert.deepEqual(planProblems(minimal), []);
  });

  it("uses a GitHub (version 1) source for the webhook, started by the webhook and not by polling", () => {
    const source = onlyAction(dev, "Source");
    assert.deepEqual(
      [source.category, source.owner, source.provider, source.version],
      ["Source", "ThirdParty", "GitHub", "1"],
    );
    assert.deepEqual(source.configuration, {
      Owner: "acme-coffee",
      Repo: "cupping-service",
      Branch: "main",
      OAuthToken: { ref: "githubToken" },
      PollForSourceChanges: "false",
    });
    assert.deepEqual(dev.triggers, []);
  });

  it("gives production a CodeStar connection source, which holds no GitHub token", () => {
    const source = onlyAction(production, "Source");
    assert.deepEqual([source.owner, source.provider], ["AWS", "CodeStarSourceConnection"]);
    assert.equal(source.configuration.BranchName, "production");
    assert.ok(!JSON.stringify(source.configuration).includes("githubToken"));
  });

  it("uses a CodeStar connection source started by a V2 trigger on the branch and file paths", () => {
    const source = onlyAction(connection, "Source");
    assert.deepEqual([source.owner, source.provider], ["AWS", "CodeStarSourceConnection"]);
    assert.deepEqual(source.configuration, {
      ConnectionArn: { ref: "connectionArn" },
      FullRepositoryId: "acme-coffee/cupping-service",
      BranchName: "main",
      DetectChanges: "false",
      OutputArtifactFormat: "CODE_ZIP",
    });
    assert.deepEqual(connection.triggers, [
      {
        providerType: "CodeStarSourceConnection",
        sourceActionName: "Source",
        branches: ["main"],
        filePaths: ["lambdas/**", "components/**"],
      },
    ]);
  });

  it("uses only configuration keys AWS documents for each provider", () => {
    for (const plan of [dev, production, connection]) {
      for (const action of plan.stages.flatMap((s) => s.actions)) {
        const type = actionTypes[action.provider];
        for (const key of Object.keys(action.configuration))
          assert.ok(
            [...type.requiredKeys, ...type.optionalKeys].includes(key),
            `${action.name}: ${key}`,
          );
      }
    }
  });

  it("hands the build outputs on: bundles and coverage from Build, bundles into Publish with the source as primary", () => {
    assert.deepEqual(onlyAction(production, "Build").outputArtifacts, [
      artifacts.build,
      artifacts.coverage,
    ]);
    const publish = onlyAction(production, "Publish");
    assert.deepEqual(publish.inputArtifacts, [artifacts.source, artifacts.build]);
    assert.equal(publish.configuration.PrimarySource, artifacts.source);
  });

  it("asks approvers about the commit and the environment, showing the Plan's summary and linking to the plan", () => {
    const approval = onlyAction(production, "Approval");
    assert.deepEqual([approval.category, approval.provider], ["Approval", "Manual"]);
    assert.match(
      String(approval.configuration.CustomData),
      /#\{SourceVariables\.CommitId\}.*production.* Plan: #\{PlanVariables\.SUMMARY\}$/,
    );
    assert.equal(approval.configuration.ExternalEntityLink, "#{PlanVariables.PLAN_URL}");
    assert.deepEqual(approval.configuration.NotificationArn, { ref: "approvalTopicArn" });
  });

  it("links to the commit when there is no Plan to show (approval without deploy)", () => {
    const approval = onlyAction(
      stagePlan(
        settingsOf("production", {
          "pipelines:stages": ["approval"],
          "pipelines:deployer": "github-actions",
        }),
      ),
      "Approval",
    );
    assert.equal(
      approval.configuration.ExternalEntityLink,
      "https://github.com/acme-coffee/cupping-service/commit/#{SourceVariables.CommitId}",
    );
    assert.ok(!String(approval.configuration.CustomData).includes("PlanVariables"));
  });

  it("hands deploy credentials only as Secrets Manager variables, and only those the backend needs", () => {
    const variablesOf = (plan: StagePlan, stage: string) =>
      projectsOf(plan).find((p) => p.stage === stage)!.variables;
    const devPulumi = [
      { name: "PULUMI_STACK", type: "PLAINTEXT", value: "dev" },
      { name: "PULUMI_ACCESS_TOKEN", type: "SECRETS_MANAGER", secret: "pulumiAccessToken" },
      {
        name: "PULUMI_CONFIG_PASSPHRASE",
        type: "SECRETS_MANAGER",
        secret: "pulumiConfigPassphrase",
      },
    ];
    const productionPulumi = [
      { name: "PULUMI_STACK", type: "PLAINTEXT", value: "production" },
      { name: "PULUMI_BACKEND_URL", type: "PLAINTEXT", value: "s3://acme-coffee-pulumi-state" },
      {
        name: "PULUMI_CONFIG_PASSPHRASE",
        type: "SECRETS_MANAGER",
        secret: "pulumiConfigPassphrase",
      },
    ];
    assert.deepEqual(variablesOf(dev, "deploy"), [
      ...devPulumi,
      { name: "PIPELINE_NAME", type: "PLAINTEXT", value: "cupping-service-dev" },
    ]);
    assert.deepEqual(variablesOf(production, "deploy"), [
      ...productionPulumi,
      { name: "PIPELINE_NAME", type: "PLAINTEXT", value: "cupping-service-production" },
    ]);
    assert.deepEqual(variablesOf(production, "plan"), productionPulumi);
  });

  it("takes a stage's buildspec from the repository when the stack names a file", () => {
    const plan = stagePlan(settingsOf("dev", { "pipelines:testBuildspec": "ci/integration.yml" }));
    const projects = Object.fromEntries(
      projectsOf(plan).map((p) => [
        p.stage,
        p.buildspec.kind === "file" ? p.buildspec.path : p.buildspec.spec.stage,
      ]),
    );
    assert.deepEqual(projects, {
      build: "build",
      test: "ci/integration.yml",
      plan: "plan",
      deploy: "deploy",
    });
  });

  it("decides each generated buildspec, each project's grants and the secrets the pipeline keeps", () => {
    const projects = Object.fromEntries(projectsOf(production).map((p) => [p.stage, p]));
    const pulumiVersion = require("@pulumi/pulumi/package.json").version;
    assert.deepEqual(projects.deploy.buildspec, {
      kind: "generated",
      spec: {
        stage: "deploy",
        stack: "production",
        pulumiVersion,
        backendUrl: "s3://acme-coffee-pulumi-state",
        approvedPlan: artifacts.plan,
      },
    });
    assert.deepEqual(projects.plan.buildspec, {
      kind: "generated",
      spec: {
        stage: "plan",
        stack: "production",
        pulumiVersion,
        backendUrl: "s3://acme-coffee-pulumi-state",
      },
    });
    assert.deepEqual(projects.build.buildspec, {
      kind: "generated",
      spec: {
        stage: "build",
        coverageThreshold: 80,
        outputs: { bundles: artifacts.build, coverage: artifacts.coverage },
      },
    });
    assert.deepEqual(
      Object.fromEntries(Object.entries(projects).map(([stage, p]) => [stage, p.grants])),
      {
        build: [],
        test: [],
        plan: [{ kind: "readStack", backendUrl: "s3://acme-coffee-pulumi-state" }],
        deploy: [{ kind: "deployStack" }],
        publish: [
          { kind: "publishPackages", domain: "cupping-service-production", repository: "releases" },
        ],
      },
    );
    assert.deepEqual(production.secrets, ["pulumiConfigPassphrase"]);
    assert.deepEqual(dev.secrets, ["pulumiAccessToken", "pulumiConfigPassphrase"]);
  });

  it("carries the source's credential need in the source's kind", () => {
    assert.deepEqual(dev.source, { kind: "webhook", credential: "githubToken" });
    assert.deepEqual(production.source, { kind: "connection", credential: "connectionArn" });
    assert.deepEqual(connection.source, { kind: "connection", credential: "connectionArn" });
  });

  it("creates the npm repository only for the default publish command", () => {
    assert.deepEqual(production.packageRepository, {
      domain: "cupping-service-production",
      repository: "releases",
      packageName: "cupping-service",
    });
    const custom = stagePlan(
      settingsOf("production", {
        "pipelines:publishCommand": "sam publish --template packaged.yaml",
      }),
    );
    assert.equal(custom.packageRepository, undefined);
    assert.deepEqual(projectsOf(custom).find((p) => p.stage === "publish")!.variables, []);
  });

  it("names the pipeline and projects after the repository and environment, and prefixes artifacts as CodePipeline does", () => {
    assert.equal(production.pipelineName, "cupping-service-production");
    assert.equal(production.artifactPrefix, "cupping-service-prod");
    assert.deepEqual(
      projectsOf(dev).map((p) => p.name),
      [
        "cupping-service-dev-build",
        "cupping-service-dev-test",
        "cupping-service-dev-plan",
        "cupping-service-dev-deploy",
      ],
    );
  });
});

describe("the plan rules", () => {
  // A second action in the Build stage that reads the Build action's bundles.
  const besideBuild = (runOrder: number) =>
    withStages(dev, (s) => [
      s[0],
      {
        ...s[1],
        actions: [
          s[1].actions[0],
          { ...s[2].actions[0], name: "Beside", runOrder, inputArtifacts: [artifacts.build] },
        ],
      },
      ...s.slice(2),
    ]);

  it("lets an action read what a lower run order of its stage produced", () => {
    assert.deepEqual(planProblems(besideBuild(2)), []);
  });

  const broken: ReadonlyArray<{
    readonly rule: string;
    readonly plan: StagePlan;
    readonly problem: RegExp;
  }> = [
    {
      rule: "at least two stages",
      plan: withStages(dev, (s) => [s[0]]),
      problem: /at least two stages/,
    },
    {
      rule: "only source actions in the first stage",
      plan: withStages(dev, (s) => [
        { ...s[0], actions: [...s[0].actions, s[1].actions[0]] },
        ...s.slice(2),
      ]),
      problem: /first stage \(Source\) may hold only source actions/,
    },
    {
      rule: "no source action after the first stage",
      plan: withStages(dev, (s) => [
        s[0],
        s[1],
        {
          ...s[2],
          actions: [
            ...s[2].actions,
            { ...s[0].actions[0], name: "Again", outputArtifacts: ["Other"], namespace: "Other" },
          ],
        },
        ...s.slice(3),
      ]),
      problem: /stage Test holds source actions \(Again\)/,
    },
    {
      rule: "inputs produced earlier",
      plan: withStages(dev, (s) =>
        [s[0], s[2], s[1], s[3]].map((x, i) =>
          i === 1
            ? { ...x, actions: x.actions.map((a) => ({ ...a, inputArtifacts: [artifacts.build] })) }
            : x,
        ),
      ),
      problem:
        /Test\/IntegrationTests: input artifact BuildArtifact is not produced by an earlier action/,
    },
    {
      rule: "no input from an action running beside it",
      plan: besideBuild(1),
      problem: /Build\/Beside: input artifact BuildArtifact is not produced by an earlier action/,
    },
    {
      rule: "unique stage names",
      plan: withStages(dev, (s) => s.map((x) => (x.name === "Test" ? { ...x, name: "Build" } : x))),
      problem: /stage name Build is used twice/,
    },
    {
      rule: "valid stage names",
      plan: withStages(dev, (s) =>
        s.map((x) => (x.name === "Test" ? { ...x, name: "Integration tests" } : x)),
      ),
      problem: /stage name "Integration tests" must be/,
    },
    {
      rule: "unique action names in a stage",
      plan: withStages(dev, (s) => [
        s[0],
        { ...s[1], actions: [s[1].actions[0], { ...s[1].actions[0], outputArtifacts: [] }] },
        ...s.slice(2),
      ]),
      problem: /Build: action name Build is used twice/,
    },
    {
      rule: "valid action names",
      plan: withAction(dev, "Deploy", (a) => ({ ...a, name: "pulumi up" })),
      problem: /Deploy\/pulumi up: action name must be/,
    },
    {
      rule: "unique artifacts",
      plan: withAction(dev, "Build", (a) => ({ ...a, outputArtifacts: [artifacts.source] })),
      problem: /output artifact SourceArtifact is produced twice/,
    },
    {
      rule: "valid artifact names",
      plan: withAction(dev, "Build", (a) => ({ ...a, outputArtifacts: ["Build.zip"] })),
      problem: /artifact name "Build\.zip" must be/,
    },
    {
      rule: "documented configuration keys",
      plan: withAction(dev, "Source", (a) => ({
        ...a,
        configuration: { ...a.configuration, Token: "x" },
      })),
      problem: /configuration key Token is not one GitHub documents/,
    },
    {
      rule: "required configuration keys",
      plan: withAction(dev, "Build", (a) => ({
        ...a,
        configuration: { EnvironmentVariables: "[]" },
      })),
      problem: /CodeBuild needs configuration key ProjectName/,
    },
    {
      rule: "provider categories",
      plan: withAction(dev, "Build", (a) => ({ ...a, category: "Approval" })),
      problem: /CodeBuild takes category Build or Test/,
    },
    {
      rule: "provider owner and version",
      plan: withAction(dev, "Source", (a) => ({ ...a, owner: "AWS", version: "2" })),
      problem: /GitHub is owner ThirdParty, version 1/,
    },
    {
      rule: "artifact counts",
      plan: withAction(production, "Approval", (a) => ({
        ...a,
        inputArtifacts: [artifacts.source],
      })),
      problem: /Manual takes 0 to 0 input artifacts/,
    },
    {
      rule: "a primary source among several inputs",
      plan: withAction(production, "Publish", (a) => ({
        ...a,
        configuration: { ProjectName: "p" },
      })),
      problem: /PrimarySource must name one of them/,
    },
    {
      rule: "variables of an earlier namespace",
      plan: withAction(production, "Source", (a) => ({ ...a, namespace: undefined })),
      problem: /uses variables of namespace SourceVariables, which no earlier action declares/,
    },
    {
      rule: "a trigger on a connection source",
      plan: {
        ...dev,
        triggers: [
          {
            providerType: "CodeStarSourceConnection",
            sourceActionName: "Source",
            branches: ["main"],
            filePaths: [],
          },
        ],
      },
      problem: /not a CodeStarSourceConnection action of the first stage/,
    },
  ];

  for (const { rule, plan, problem } of broken) {
    it(`finds a plan that breaks "${rule}"`, () => {
      assert.ok(
        planProblems(plan).some((p) => problem.test(p)),
        `expected ${problem} in:\n${planProblems(plan).join("\n")}`,
      );
    });
  }

  it("throws with every problem listed", () => {
    assert.throws(
      () => assertSoundPlan(broken[0].plan),
      /cupping-service-dev is not one AWS accepts:\n {2}- a pipeline needs at least two stages/,
    );
    assert.doesNotThrow(() => assertSoundPlan(production));
  });
});

describe("the release stages of the plan", () => {
  const whenRisky = stagePlan(settingsOf("production", { "pipelines:approval": "when-risky" }));
  const windowed = stagePlan({
    ...settingsOf("production", {
      "pipelines:deployWindow": "* 0-59 9-16 ? * MON-THU Europe/Berlin",
    }),
    watchedAlarms: ["cupping-production-api-5xx-rate", "cupping-production-database-cpu"],
  });
  const stage = (plan: StagePlan, name: string) => plan.stages.find((s) => s.name === name)!;

  it("previews the run's own commit in a Plan action whose summary is output variables and whose diff is an artifact", () => {
    const preview = onlyAction(production, "Plan");
    assert.deepEqual(
      [
        preview.name,
        preview.provider,
        preview.namespace,
        preview.inputArtifacts,
        preview.outputArtifacts,
      ],
      ["Preview", "CodeBuild", "PlanVariables", [artifacts.source], [artifacts.plan]],
    );
    assert.deepEqual(
      onlyAction(production, "Deploy").inputArtifacts,
      [artifacts.source, artifacts.plan],
      "Deploy checks against the approved plan",
    );
  });

  it("asks for approval every time by default, and skips it when RISK is none with when-risky", () => {
    assert.equal(stage(production, "Approval").beforeEntry, undefined);
    assert.deepEqual(stage(whenRisky, "Approval").beforeEntry, {
      result: "SKIP",
      rules: [
        {
          name: "PlanFoundRisk",
          provider: "VariableCheck",
          configuration: { Variable: "#{PlanVariables.RISK}", Operator: "NE", Value: "none" },
        },
      ],
    });
    assert.deepEqual(planProblems(whenRisky), []);
  });

  it("schedules production's read-only drift check on its branch, and none for dev", () => {
    assert.deepEqual(
      [
        production.driftCheck?.schedule,
        production.driftCheck?.branch,
        production.driftCheck?.project.name,
      ],
      ["rate(1 day)", "production", "cupping-service-production-drift"],
    );
    assert.deepEqual(production.driftCheck?.project.grants, [
      { kind: "readStack", backendUrl: "s3://acme-coffee-pulumi-state" },
      { kind: "readResources" },
    ]);
    assert.equal(dev.driftCheck, undefined);
    assert.equal(
      stagePlan(
        settingsOf("production", {
          "pipelines:stages": ["test"],
          "pipelines:deployer": "github-actions",
        }),
      ).driftCheck,
      undefined,
      "no Deploy stage, no Pulumi credentials to check with",
    );
  });

  it("rolls the Deploy stage back on failure, in a mode where runs never overtake each other", () => {
    assert.deepEqual(stage(production, "Deploy").onFailure, { result: "ROLLBACK" });
    assert.equal(production.executionMode, "SUPERSEDED");
  });

  it("holds Deploy to the deploy window, and watches the given alarms after it for the configured minutes", () => {
    assert.deepEqual(stage(windowed, "Deploy").beforeEntry, {
      result: "FAIL",
      rules: [
        {
          name: "DeployWindow",
          provider: "DeploymentWindow",
          configuration: { Cron: "* 0-59 9-16 ? * MON-THU", TimeZone: "Europe/Berlin" },
        },
      ],
    });
    assert.deepEqual(stage(windowed, "Deploy").onSuccess, {
      result: "ROLLBACK",
      rules: [
        {
          name: "cupping-production-api-5xx-rate",
          provider: "CloudWatchAlarm",
          configuration: {
            AlarmName: "cupping-production-api-5xx-rate",
            AlarmStates: "ALARM",
            WaitTime: "10",
          },
        },
        {
          name: "cupping-production-database-cpu",
          provider: "CloudWatchAlarm",
          configuration: {
            AlarmName: "cupping-production-database-cpu",
            AlarmStates: "ALARM",
            WaitTime: "10",
          },
        },
      ],
    });
    assert.deepEqual(planProblems(windowed), []);
    assert.equal(
      stage(stagePlan({ ...settingsOf("dev"), watchedAlarms: ["a"] }), "Deploy").onSuccess,
      undefined,
      "dev watches for 0 minutes",
    );
  });
});

describe("the plan rules for stage conditions", () => {
  const deployIndex = (plan: StagePlan) => plan.stages.findIndex((s) => s.name === "Deploy");
  const withStage = (
    plan: StagePlan,
    name: string,
    change: (stage: StagePlanStage) => StagePlanStage,
  ): StagePlan => ({ ...plan, stages: plan.stages.map((s) => (s.name === name ? change(s) : s)) });
  const rule = (
    provider: "VariableCheck" | "CloudWatchAlarm" | "DeploymentWindow",
    configuration: Record<string, string>,
    name = "Rule",
  ) => ({ name, provider, configuration });
  const alarm = rule("CloudWatchAlarm", { AlarmName: "a", AlarmStates: "ALARM", WaitTime: "10" });

  const broken: ReadonlyArray<{
    readonly rule: string;
    readonly plan: StagePlan;
    readonly problem: RegExp;
  }> = [
    {
      rule: "entry conditions fail or skip",
      plan: withStage(production, "Approval", (s) => ({
        ...s,
        beforeEntry: { result: "ROLLBACK", rules: [alarm] },
      })),
      problem:
        /Approval beforeEntry: result ROLLBACK is not one a beforeEntry condition takes \(FAIL, SKIP\)/,
    },
    {
      rule: "success conditions roll back or fail",
      plan: withStage(production, "Deploy", (s) => ({
        ...s,
        onSuccess: { result: "SKIP", rules: [alarm] },
      })),
      problem:
        /Deploy onSuccess: result SKIP is not one a onSuccess condition takes \(ROLLBACK, FAIL\)/,
    },
    {
      rule: "failure conditions roll back",
      plan: withStage(production, "Deploy", (s) => ({
        ...s,
        onFailure: { result: "FAIL" as "ROLLBACK" },
      })),
      problem: /Deploy onFailure: result FAIL is not one a onFailure condition takes/,
    },
    {
      rule: "a deploy window only at entry",
      plan: withStage(production, "Deploy", (s) => ({
        ...s,
        onSuccess: {
          result: "ROLLBACK",
          rules: [rule("DeploymentWindow", { Cron: "* * * ? * *" })],
        },
      })),
      problem:
        /a onSuccess condition takes rules VariableCheck, CloudWatchAlarm \(got DeploymentWindow\)/,
    },
    {
      rule: "one to five rules",
      plan: withStage(production, "Deploy", (s) => ({
        ...s,
        onSuccess: {
          result: "ROLLBACK",
          rules: [1, 2, 3, 4, 5, 6].map((i) => ({ ...alarm, name: `A${i}` })),
        },
      })),
      problem: /a condition takes 1 to 5 rules \(got 6\)/,
    },
    {
      rule: "required rule keys",
      plan: withStage(production, "Deploy", (s) => ({
        ...s,
        onSuccess: { result: "ROLLBACK", rules: [rule("CloudWatchAlarm", { WaitTime: "5" })] },
      })),
      problem: /CloudWatchAlarm needs configuration key AlarmName/,
    },
    {
      rule: "documented rule keys",
      plan: withStage(production, "Deploy", (s) => ({
        ...s,
        beforeEntry: {
          result: "FAIL",
          rules: [rule("DeploymentWindow", { Cron: "* * * ? * *", Zone: "UTC" })],
        },
      })),
      problem: /configuration key Zone is not one DeploymentWindow documents \(Cron, TimeZone\)/,
    },
    {
      rule: "VariableCheck operators",
      plan: withStage(production, "Approval", (s) => ({
        ...s,
        beforeEntry: {
          result: "SKIP",
          rules: [
            rule("VariableCheck", {
              Variable: "#{PlanVariables.RISK}",
              Value: "none",
              Operator: "NOT_EQUALS",
            }),
          ],
        },
      })),
      problem: /Operator "NOT_EQUALS" is not a value VariableCheck takes/,
    },
    {
      rule: "alarm wait in whole minutes",
      plan: withStage(production, "Deploy", (s) => ({
        ...s,
        onSuccess: {
          result: "ROLLBACK",
          rules: [{ ...alarm, configuration: { ...alarm.configuration, WaitTime: "0" } }],
        },
      })),
      problem: /WaitTime "0" is not a value CloudWatchAlarm takes/,
    },
    {
      rule: "entry rules read only earlier namespaces",
      plan: withStage(production, "Plan", (s) => ({
        ...s,
        beforeEntry: {
          result: "SKIP",
          rules: [
            rule("VariableCheck", {
              Variable: "#{PlanVariables.RISK}",
              Value: "none",
              Operator: "NE",
            }),
          ],
        },
      })),
      problem:
        /Plan beforeEntry\/Rule: uses variables of namespace PlanVariables, which no earlier action declares/,
    },
    {
      rule: "the first stage cannot roll back",
      plan: withStage(production, "Source", (s) => ({ ...s, onFailure: { result: "ROLLBACK" } })),
      problem: /the first stage cannot roll back/,
    },
    {
      rule: "rollback outside PARALLEL mode",
      plan: { ...production, executionMode: "PARALLEL" },
      problem: /Deploy: stage rollback needs execution mode SUPERSEDED or QUEUED \(got PARALLEL\)/,
    },
  ];

  for (const { rule: name, plan, problem } of broken) {
    it(`finds a plan that breaks "${name}"`, () => {
      assert.ok(
        planProblems(plan).some((p) => problem.test(p)),
        `expected ${problem} in:\n${planProblems(plan).join("\n")}`,
      );
    });
  }

  it("accepts the conditions the stacks use", () => {
    assert.ok(deployIndex(production) > 0);
    assert.deepEqual(planProblems(production), []);
    assert.deepEqual(planProblems(dev), []);
  });
});
