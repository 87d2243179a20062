import { strict as assert } from "node:assert";
import { parse } from "yaml";
import { readActionsByInvoke } from "../../components/github/preview-permissions";
import {
  installPulumiCli,
  pulumiCliVersion,
} from "../../components/pipeline/buildspecs/pulumi-cli";
import {
  descendantsOf,
  plainStrings,
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
import { describeViolations, runPolicies } from "../support/policy";
import { secretPlaceholder } from "../../tooling/mocks/stack-config";

const component = "pipelines:github:PullRequestPreviews";
const expected = {
  dev: {
    branch: "main",
    backend: "pulumi login --non-interactive",
    credentials: ["PULUMI_ACCESS_TOKEN", "PULUMI_CONFIG_PASSPHRASE"],
  },
  production: {
    branch: "production",
    backend: "pulumi login --non-interactive 's3://acme-coffee-pulumi-state'",
    credentials: ["PULUMI_CONFIG_PASSPHRASE"],
  },
} as const;

interface EnvironmentVariable {
  readonly name: string;
  readonly type: string;
  readonly value: string;
}

for (const [stack, want] of Object.entries(expected)) {
  describe(`pull-request previews of the ${stack} stack`, () => {
    let run: ProgramRun;
    let previews: CapturedResource;
    let project: CapturedResource;
    let secrets: CapturedResource[];
    const inside = (type: string) => descendantsOf(run, previews).filter((r) => r.type === type);
    const arnOf = (secret: CapturedResource) =>
      `arn:aws:secretsmanager:${stackRegion(stack)}:123456789012:secret:${secret.name}`;
    before(async () => {
      run = await programRun(stack);
      previews = theResource(run, component);
      project = theResource(run, "aws:codebuild/project:Project", "pull-request-previews-project");
      secrets = inside("aws:secretsmanager/secret:Secret");
    });

    it("builds the repository's pull requests with a shallow clone and reports the status on them", () => {
      const source = project.inputs.source as Record<string, unknown>;
      assert.equal(source.type, "GITHUB");
      assert.equal(source.location, "https://github.com/acme-coffee/cupping-service.git");
      assert.equal(source.gitCloneDepth, 1);
      assert.equal(source.reportBuildStatus, true);
      assert.deepEqual(source.buildStatusConfig, { context: `pulumi preview (${stack})` });
      assert.equal(run.outputs.pullRequestPreviewProject, project.name);
    });

    it("starts on pull requests opened, updated or reopened against the stack's branch, by trusted authors", () => {
      const webhook = theResource(
        run,
        "aws:codebuild/webhook:Webhook",
        "pull-request-previews-webhook",
      );
      assert.equal(webhook.inputs.projectName, project.name);
      assert.equal(webhook.inputs.buildType, "BUILD");
      assert.deepEqual(webhook.inputs.filterGroups, [
        {
          filters: [
            {
              type: "EVENT",
              pattern: "PULL_REQUEST_CREATED,PULL_REQUEST_UPDATED,PULL_REQUEST_REOPENED",
            },
            { type: "BASE_REF", pattern: `^refs/heads/${want.branch}$` },
          ],
        },
      ]);
      assert.deepEqual(webhook.inputs.pullRequestBuildPolicy, {
        requiresCommentApproval: "ALL_PULL_REQUESTS",
        approverRoles: ["GITHUB_WRITE", "GITHUB_MAINTAIN", "GITHUB_ADMIN"],
      });
    });

    it("runs the tests, the stack's preview with the policy pack, and the comment poster", () => {
      const spec = parse((project.inputs.source as { buildspec: string }).buildspec) as {
        phases: Record<string, { commands: string[] }>;
      };
      const commands = Object.values(spec.phases).flatMap((phase) => phase.commands);
      assert.ok(commands.includes("npm test"));
      assert.ok(commands.includes(want.backend), commands.join("\n"));
      assert.ok(
        commands.some((c) =>
          c.includes(`pulumi preview --stack '${stack}' --diff --policy-pack policies`),
        ),
      );
      assert.ok(
        commands.some((c) =>
          c.startsWith(
            `npm run -s preview:comment -- --stack '${stack}' --repository 'acme-coffee/cupping-service'`,
          ),
        ),
      );
      assert.ok(commands.includes(installPulumiCli(pulumiCliVersion)[0]));
    });

    it("gets the comment token and the backend credentials only as Secrets Manager references", () => {
      const variables = (
        project.inputs.environment as { environmentVariables: EnvironmentVariable[] }
      ).environmentVariables;
      assert.deepEqual(
        variables.map((v) => v.name),
        ["GITHUB_TOKEN", ...want.credentials],
      );
      assert.ok(
        variables.every((v) => v.type === "SECRETS_MANAGER"),
        JSON.stringify(variables),
      );
      const commentToken = theResource(
        run,
        "aws:secretsmanager/secret:Secret",
        "pull-request-previews-build-token",
      );
      assert.equal(variables[0].value, arnOf(commentToken));
      const commentTokenValue = theResource(
        run,
        "aws:secretsmanager/secretVersion:SecretVersion",
        "pull-request-previews-build-token-value",
      );
      assert.equal(commentTokenValue.inputs.secretId, commentToken.name);
      assert.ok(isSecretValue(commentTokenValue.inputs.secretString));
      assert.equal(
        reveal(commentTokenValue.inputs.secretString),
        secretPlaceholder("pipelines:commentToken"),
      );
      const credentialSecrets = variables
        .slice(1)
        .map((v) => secrets.find((s) => arnOf(s) === v.value));
      assert.ok(
        credentialSecrets.every((s) => s !== undefined),
        JSON.stringify(variables),
      );
    });

    it("attack: a pull request's build steps cannot read the admin github:token from their environment", () => {
      const githubToken = theResource(
        run,
        "aws:secretsmanager/secret:Secret",
        "pull-request-previews-github-token-secret",
      );
      const variables = (
        project.inputs.environment as { environmentVariables: EnvironmentVariable[] }
      ).environmentVariables;
      // What the build's steps see: no variable names the admin token's secret, in any form.
      assert.deepEqual(
        variables.filter((v) => v.value.startsWith(arnOf(githubToken))),
        [],
        JSON.stringify(variables),
      );
      // It serves only as CodeBuild's own source credential (clone, status, webhook).
      assert.deepEqual((project.inputs.source as { auth: unknown }).auth, {
        type: "SECRETS_MANAGER",
        resource: arnOf(githubToken),
      });
      const admin = secretPlaceholder("github:token");
      assert.ok(!JSON.stringify(reveal(project.inputs)).includes(admin));
      const buildspec = (project.inputs.source as { buildspec: string }).buildspec;
      assert.ok(!/github:token|github-token/.test(buildspec), buildspec);
    });

    it("stores the token in the form CodeBuild reads as a source credential, each secret value a secret", () => {
      const versions = inside("aws:secretsmanager/secretVersion:SecretVersion");
      assert.equal(versions.length, secrets.length);
      for (const version of versions)
        assert.ok(
          isSecretValue(version.inputs.secretString),
          `${version.name} holds its value in plaintext`,
        );

      const githubToken = theResource(
        run,
        "aws:secretsmanager/secret:Secret",
        "pull-request-previews-github-token-secret",
      );
      assert.deepEqual(githubToken.inputs.tags, {
        "codebuild:source": "",
        "codebuild:source:provider": "github",
        "codebuild:source:type": "personal_access_token",
      });
      const tokenVersion = versions.find((v) => v.inputs.secretId === githubToken.name)!;
      assert.deepEqual(JSON.parse(reveal(tokenVersion.inputs.secretString) as string), {
        ServerType: "GITHUB",
        AuthType: "PERSONAL_ACCESS_TOKEN",
        Token: secretPlaceholder("github:token"),
      });
    });

    it("keeps every secret out of the project, the buildspec and the role in plaintext", () => {
      const leaks = [project, ...inside("aws:iam/rolePolicy:RolePolicy")]
        .flatMap((r) => plainStrings(r.inputs))
        .filter(({ text }) => secretConfigValues(run).some((secret) => text.includes(secret)));
      assert.deepEqual(leaks, []);
    });

    it("logs to its own log group, kept as long as the stack's other logs", () => {
      const [logGroup] = inside("aws:cloudwatch/logGroup:LogGroup");
      assert.equal(
        logGroup.inputs.retentionInDays,
        Number(run.engineConfig.config["pipelines:logRetentionDays"]),
      );
      assert.deepEqual((project.inputs.logsConfig as { cloudwatchLogs: unknown }).cloudwatchLogs, {
        status: "ENABLED",
        groupName: logGroup.name,
      });
    });

    it("grants the reads of every provider function the program calls", () => {
      const policy = JSON.parse(
        theResource(run, "aws:iam/rolePolicy:RolePolicy", "pull-request-previews-role-policy")
          .inputs.policy as string,
      ) as { Statement: Array<{ Action: string[] }> };
      const granted = policy.Statement.flatMap((s) => s.Action);
      for (const token of new Set(run.invokes)) {
        assert.ok(
          token in readActionsByInvoke,
          `the program calls ${token}: list what it reads in readActionsByInvoke (components/github/preview-permissions.ts)`,
        );
        for (const action of readActionsByInvoke[token])
          assert.ok(granted.includes(action), action);
      }
    });

    it("passes the project's policy pack", async () => {
      const report = await runPolicies(descendantsOf(run, previews));
      assert.equal(report.violations.length, 0, describeViolations(report.violations));
    });
  });
}

describe("pull-request previews on an arm64 build image", () => {
  it("run in an ARM container, as the pipeline's and the review stacks' projects do", async () => {
    const run = await programRun("dev", {
      "pipelines:buildImage": "aws/codebuild/amazonlinux-aarch64-standard:3.0",
    });
    const project = theResource(
      run,
      "aws:codebuild/project:Project",
      "pull-request-previews-project",
    );
    assert.equal((project.inputs.environment as { type: string }).type, "ARM_CONTAINER");
    const pipelineBuild = theResource(
      run,
      "aws:codebuild/project:Project",
      "pipeline-build-project",
    );
    assert.equal((pipelineBuild.inputs.environment as { type: string }).type, "ARM_CONTAINER");
    for (const kind of ["deploy", "teardown", "sweep"]) {
      const review = theResource(run, "aws:codebuild/project:Project", `review-stacks-${kind}`);
      assert.equal((review.inputs.environment as { type: string }).type, "ARM_CONTAINER", kind);
    }
  });
});

describe("pull-request previews with an actor allow-list", () => {
  it("start only for pull-request events the listed GitHub users send, still behind the comment approval", async () => {
    const run = await programRun("production", {
      "pipelines:previewActorIds": [583231, 1024025],
    });
    const webhook = theResource(
      run,
      "aws:codebuild/webhook:Webhook",
      "pull-request-previews-webhook",
    );
    const [group, ...others] = webhook.inputs.filterGroups as Array<{
      filters: Array<{ type: string; pattern: string }>;
    }>;
    assert.deepEqual(others, []);
    assert.deepEqual(group.filters.slice(1), [
      { type: "BASE_REF", pattern: "^refs/heads/production$" },
      { type: "ACTOR_ACCOUNT_ID", pattern: "^(583231|1024025)$" },
    ]);
    assert.equal(
      (webhook.inputs.pullRequestBuildPolicy as { requiresCommentApproval: string })
        .requiresCommentApproval,
      "ALL_PULL_REQUESTS",
    );
  });

  it("refuse a login in place of an id, naming the key and the entry (Pulumi.yaml declares integer items)", async () => {
    await assert.rejects(
      programRun("production", { "pipelines:previewActorIds": [583231, "octocat"] }),
      /configuration key 'pipelines:previewActorIds' must be of type 'array<integer>' \(got \[583231,"octocat"\]\)/,
    );
  });
});

describe("pull-request previews switched off", () => {
  it("create nothing and output no project", async () => {
    const run = await programRun("dev", { "pipelines:pullRequestPreviews": false });
    assert.deepEqual(
      run.resources.filter((r) => r.urn.includes(component)),
      [],
    );
    assert.equal(run.outputs.pullRequestPreviewProject, undefined);
  });
});
