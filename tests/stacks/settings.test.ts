import { strict as assert } from "node:assert";
import * as pulumi from "@pulumi/pulumi";
import { readStackSettings, SettingsError, type ConfigSource } from "../../stacks";
import { projectKeys } from "../../stacks/keys";
import { readProjectFile } from "../../tooling/mocks/stack-config";

/** A config source over plain values, with the CLI's defaults applied as Pulumi.yaml declares them. */
function source(
  values: Record<string, string | undefined>,
  secrets: readonly string[] = [],
): ConfigSource {
  const defaults = Object.fromEntries(
    Object.entries(readProjectFile().config)
      .filter(([key, declared]) => key in projectKeys && declared.default !== undefined)
      .map(([key, { default: value }]) => [
        `pipelines:${key}`,
        Array.isArray(value) ? JSON.stringify(value) : String(value),
      ]),
  );
  const all: Record<string, string | undefined> = { ...defaults, ...values };
  return {
    get: (key) => all[key],
    isSecret: (key) => secrets.includes(key),
    keys: () => Object.keys(all).filter((key) => all[key] !== undefined),
    secret: (key) => pulumi.secret(all[key] ?? ""),
  };
}

const valid = {
  "aws:region": "eu-west-1",
  "aws:defaultTags": JSON.stringify({ tags: { "pipelines:scope": "pipelines-test" } }),
  "github:owner": "acme",
  "github:token": "t",
  "pipelines:repository": "acme/cupping",
  "pipelines:branch": "main",
  "pipelines:approvalEmails": JSON.stringify(["ops@example.com"]),
  "pipelines:pulumiAccessToken": "p",
  "pipelines:pulumiConfigPassphrase": "pp",
  "pipelines:commentToken": "c",
};
const validSecrets = [
  "github:token",
  "pipelines:pulumiAccessToken",
  "pipelines:pulumiConfigPassphrase",
  "pipelines:commentToken",
];

function problemsOf(
  values: Record<string, string | undefined>,
  secrets: readonly string[] = validSecrets,
): string[] {
  try {
    readStackSettings(source({ ...valid, ...values }, secrets), "pipelines", "test");
  } catch (error) {
    assert.ok(error instanceof SettingsError, String(error));
    return [...error.problems];
  }
  assert.fail("expected the settings to be rejected");
}

describe("stack settings", () => {
  it("reads a valid stack into typed settings with the declared defaults", () => {
    const s = readStackSettings(source(valid, validSecrets), "pipelines", "test");
    assert.deepEqual(s.repository, { owner: "acme", name: "cupping", fullName: "acme/cupping" });
    assert.deepEqual(s.stages, { test: true, approval: true, deploy: true, publish: true });
    assert.equal(s.region, "eu-west-1");
    assert.equal(s.source.kind, "connection", "no long-lived source credential by default");
    assert.equal(s.database.multiAz, true);
    assert.equal(s.database.deletionProtection, true);
    assert.equal(s.service.reservedConcurrency, undefined, "-1 means unreserved");
    assert.equal(s.database.password, undefined, "no password means RDS manages it");
  });

  it("keeps secrets as secret Outputs", async () => {
    const s = readStackSettings(
      source({ ...valid, "pipelines:slackWebhookUrl": "https://hooks.slack.com/x" }, [
        ...validSecrets,
        "pipelines:slackWebhookUrl",
      ]),
      "pipelines",
      "test",
    );
    const url = s.notifications.slackWebhookUrl as unknown as { isSecret: Promise<boolean> };
    assert.equal(await url.isSecret, true);
  });

  const cases: Array<[string, Record<string, string | undefined>, RegExp]> = [
    [
      "a mistyped key, suggesting the one meant",
      { "pipelines:notificationEmail": JSON.stringify(["a@example.com"]) },
      /^pipelines:notificationEmail: unknown key; did you mean pipelines:notificationEmails\?/,
    ],
    [
      "a key that is a plural short",
      { "pipelines:stage": JSON.stringify(["test"]) },
      /^pipelines:stage: unknown key; did you mean pipelines:stages\?/,
    ],
    [
      "a region AWS does not have",
      { "aws:region": "eu-wset-1" },
      /^aws:region: "eu-wset-1" is not an AWS region; did you mean eu-west-1\? \(allowed: .*eu-west-1/,
    ],
    ["a stack without a region", { "aws:region": undefined }, /^aws:region: is required/],
    [
      "an unknown stage",
      { "pipelines:stages": JSON.stringify(["test", "qa"]) },
      /^pipelines:stages\[1\]: unknown stage "qa"; allowed: test, approval, deploy, publish/,
    ],
    [
      "a stage listed twice",
      { "pipelines:stages": JSON.stringify(["test", "test"]) },
      /^pipelines:stages\[1\]: lists the stage "test" twice/,
    ],
    [
      "a branch with a space",
      { "pipelines:branch": "my branch" },
      /^pipelines:branch: must be a valid git branch name.*got "my branch"/,
    ],
    [
      "a branch with ..",
      { "pipelines:branch": "a..b" },
      /^pipelines:branch: must be a valid git branch name/,
    ],
    [
      "a missing repository",
      { "pipelines:repository": undefined },
      /^pipelines:repository: is required/,
    ],
    [
      "a repository that is not owner/name",
      { "pipelines:repository": "cupping" },
      /^pipelines:repository: must be a GitHub repository as owner\/name/,
    ],
    [
      "a source kind that does not exist",
      { "pipelines:sourceKind": "poll" },
      /^pipelines:sourceKind: must be one of: webhook, connection \(got "poll"\)/,
    ],
    [
      "a word where a number belongs",
      { "pipelines:buildTimeoutMinutes": "soon" },
      /^pipelines:buildTimeoutMinutes: must be a whole number/,
    ],
    [
      "a retention CloudWatch does not offer",
      { "pipelines:logRetentionDays": "10" },
      /^pipelines:logRetentionDays: must be one of the CloudWatch retention periods/,
    ],
    [
      "a bad e-mail",
      { "pipelines:notificationEmails": JSON.stringify(["nope"]) },
      /^pipelines:notificationEmails\[0\]: must be an e-mail address/,
    ],
    [
      "a yes/no that is neither",
      { "pipelines:dbMultiAz": "yes" },
      /^pipelines:dbMultiAz: must be true or false/,
    ],
    [
      "backups switched off",
      { "pipelines:dbBackupRetentionDays": "0" },
      /^pipelines:dbBackupRetentionDays: must be at least 1/,
    ],
    [
      "a traffic shift CodeDeploy does not offer",
      { "pipelines:trafficShift": "canary-50-1h" },
      /^pipelines:trafficShift: must be one of: all-at-once, canary-10-5m, linear-10-1m \(got "canary-50-1h"\)/,
    ],
    [
      "a database engine the service does not run on",
      { "pipelines:dbEngine": "aurora-mysql" },
      /^pipelines:dbEngine: must be one of: postgres, aurora-serverless-v2 \(got "aurora-mysql"\)/,
    ],
    [
      "an Aurora database with a Multi-AZ standby",
      { "pipelines:dbEngine": "aurora-serverless-v2", "pipelines:dbMultiAz": "true" },
      /^pipelines:dbMultiAz: must be false when pipelines:dbEngine is "aurora-serverless-v2"/,
    ],
    [
      "an Aurora database with an instance class",
      {
        "pipelines:dbEngine": "aurora-serverless-v2",
        "pipelines:dbMultiAz": "false",
        "pipelines:dbInstanceClass": "db.t4g.micro",
      },
      /^pipelines:dbInstanceClass: must be empty when pipelines:dbEngine is "aurora-serverless-v2" \(got "db.t4g.micro"\): its instance is db.serverless/,
    ],
    [
      "an Aurora capacity range upside down",
      { "pipelines:dbMinCapacityAcu": "8", "pipelines:dbMaxCapacityAcu": "4" },
      /^pipelines:dbMinCapacityAcu: must be at most pipelines:dbMaxCapacityAcu \(4\); got 8/,
    ],
    [
      "an auto-pause delay Aurora does not accept",
      { "pipelines:dbAutoPauseSeconds": "60" },
      /^pipelines:dbAutoPauseSeconds: must be at least 300/,
    ],
    [
      "an API authorization that does not exist",
      { "pipelines:apiAuth": "cognito" },
      /^pipelines:apiAuth: must be one of: none, iam \(got "cognito"\)/,
    ],
    [
      "a CORS origin with a path",
      { "pipelines:corsOrigins": JSON.stringify(["https://cupping.example.com/app"]) },
      /^pipelines:corsOrigins: "https:\/\/cupping.example.com\/app" is not an origin; expected "\*" alone, or origins/,
    ],
    [
      "a CORS wildcard beside origins",
      { "pipelines:corsOrigins": JSON.stringify(["*", "https://a.example"]) },
      /^pipelines:corsOrigins: "\*" already allows every origin, so it must stand alone/,
    ],
  ];
  for (const [what, values, expected] of cases) {
    it(`rejects ${what}, naming the key`, () => {
      const problems = problemsOf(values);
      assert.ok(
        problems.some((p) => expected.test(p)),
        `no problem matches ${expected}: ${problems.join(" | ")}`,
      );
    });
  }

  it("reads the database engine: postgres on the default instance class, or Aurora with its capacity range and no instance class", () => {
    const postgres = readStackSettings(source(valid, validSecrets), "pipelines", "test").database;
    assert.deepEqual(
      [postgres.engine, postgres.instanceClass, postgres.customerManagedKey],
      ["postgres", "db.t4g.small", true],
    );
    const aurora = readStackSettings(
      source(
        {
          ...valid,
          "pipelines:dbEngine": "aurora-serverless-v2",
          "pipelines:dbMultiAz": "false",
          "pipelines:customerManagedKeys": "false",
        },
        validSecrets,
      ),
      "pipelines",
      "test",
    ).database;
    assert.deepEqual(
      [aurora.engine, aurora.capacity, aurora.customerManagedKey],
      ["aurora-serverless-v2", { minAcu: 0, maxAcu: 2, autoPauseSeconds: 300 }, false],
    );
  });

  it("requires the GitHub token for the push webhook", () => {
    const problems = problemsOf({ "github:token": undefined });
    assert.ok(
      problems.some((p) =>
        /^github:token: required secret is missing.*pulumi config set --secret github:token/.test(
          p,
        ),
      ),
      problems.join(" | "),
    );
  });

  it("requires Pulumi credentials for the deploy stage and the previews, in either form", () => {
    assert.ok(
      problemsOf({ "pipelines:pulumiAccessToken": undefined }).some((p) =>
        p.startsWith(
          "pipelines:pulumiAccessToken: required secret is missing (the deploy stage and the pull-request previews log in",
        ),
      ),
    );
    const selfManaged = readStackSettings(
      source(
        {
          ...valid,
          "pipelines:pulumiAccessToken": undefined,
          "pipelines:pulumiBackendUrl": "s3://state",
        },
        validSecrets,
      ),
      "pipelines",
      "test",
    );
    assert.equal(selfManaged.deploy.backendUrl, "s3://state");
    const noPassphrase = problemsOf({
      "pipelines:pulumiConfigPassphrase": undefined,
      "pipelines:stages": JSON.stringify(["test"]),
      "pipelines:deployer": "github-actions",
    });
    assert.deepEqual(
      noPassphrase.map((p) => p.split(" (")[0]),
      ["pipelines:pulumiConfigPassphrase: required secret is missing"],
    );
    assert.match(noPassphrase[0], /\(the pull-request previews decrypt/);
    const neither = readStackSettings(
      source(
        {
          ...valid,
          "pipelines:pulumiAccessToken": undefined,
          "pipelines:pulumiConfigPassphrase": undefined,
          "pipelines:stages": JSON.stringify(["test"]),
          "pipelines:deployer": "github-actions",
          "pipelines:pullRequestPreviews": "false",
        },
        validSecrets,
      ),
      "pipelines",
      "test",
    );
    assert.equal(neither.stages.deploy, false);
  });

  it("refuses a stack with two deployers or none, and an unknown deployer, naming the keys", () => {
    assert.deepEqual(problemsOf({ "pipelines:deployer": "github-actions" }), [
      'pipelines:deployer: is "github-actions" but pipelines:stages has "deploy": the stack would have two deployers; remove "deploy" or set pipelines:deployer to "pipeline"',
    ]);
    assert.deepEqual(problemsOf({ "pipelines:stages": JSON.stringify(["test"]) }), [
      'pipelines:deployer: is "pipeline" but pipelines:stages has no "deploy": nothing would deploy the stack; add "deploy" or set pipelines:deployer to "github-actions"',
    ]);
    assert.deepEqual(problemsOf({ "pipelines:deployer": "jenkins" }), [
      'pipelines:deployer: must be one of: pipeline, github-actions (got "jenkins")',
    ]);
  });

  it("refuses a secret stored in plaintext", () => {
    const problems = problemsOf({ "pipelines:slackWebhookUrl": "https://hooks.slack.com/x" });
    assert.ok(
      problems.includes(
        "pipelines:slackWebhookUrl: must be encrypted; set it with 'pulumi config set --secret pipelines:slackWebhookUrl'",
      ),
      problems.join(" | "),
    );
    const token = problemsOf({}, ["pipelines:pulumiAccessToken"]);
    assert.ok(
      token.some((p) => p.startsWith("github:token: must be encrypted")),
      token.join(" | "),
    );
  });

  it("checks rules that span keys", () => {
    assert.ok(
      problemsOf({ "pipelines:approvalEmails": "[]" }).some((p) =>
        p.startsWith("pipelines:approvalEmails: the approval stage needs"),
      ),
    );
    assert.ok(
      problemsOf({ "github:owner": "someone-else" }).some((p) =>
        p.startsWith('github:owner: must be the repository\'s owner "acme"'),
      ),
    );
    assert.ok(
      problemsOf({ "pipelines:stages": JSON.stringify(["publish"]) }).some((p) =>
        p.startsWith('pipelines:stages: "publish" releases'),
      ),
    );
    assert.ok(
      problemsOf({ "pipelines:vpcId": "vpc-0123456789abcdef0" }).some((p) =>
        p.startsWith("pipelines:privateSubnetIds: an existing VPC needs"),
      ),
    );
    assert.ok(
      problemsOf({
        "pipelines:sourceKind": "webhook",
        "pipelines:sourceFilePaths": JSON.stringify(["src/**"]),
      }).some((p) => p.startsWith("pipelines:sourceFilePaths: file path filters need")),
    );
  });

  it("requires the previews' own comment token, encrypted, and none without previews", () => {
    assert.deepEqual(
      problemsOf({ "pipelines:commentToken": undefined }).filter((p) =>
        p.startsWith("pipelines:commentToken"),
      ),
      [
        "pipelines:commentToken: required secret is missing (the pull-request previews comment with it: a fine-grained token with pull-requests: write only); set it with 'pulumi config set --secret pipelines:commentToken'",
      ],
    );
    assert.ok(
      problemsOf(
        {},
        validSecrets.filter((key) => key !== "pipelines:commentToken"),
      ).includes(
        "pipelines:commentToken: must be encrypted; set it with 'pulumi config set --secret pipelines:commentToken'",
      ),
    );
    const withoutPreviews = readStackSettings(
      source(
        { ...valid, "pipelines:pullRequestPreviews": "false", "pipelines:commentToken": undefined },
        validSecrets,
      ),
      "pipelines",
      "test",
    );
    assert.equal(withoutPreviews.github.commentToken, undefined);
  });

  it("reads the preview actor allow-list as numeric GitHub user ids, empty by default", () => {
    assert.deepEqual(
      readStackSettings(source(valid, validSecrets), "pipelines", "test").previewActorIds,
      [],
    );
    const s = readStackSettings(
      source({ ...valid, "pipelines:previewActorIds": '[583231, "1024025"]' }, validSecrets),
      "pipelines",
      "test",
    );
    assert.deepEqual(s.previewActorIds, ["583231", "1024025"]);
  });

  it("refuses an allow-list entry that is not a numeric id, naming the key and the entry", () => {
    for (const bad of ["octocat", "12a", "-5", "0", ""]) {
      const problems = problemsOf({ "pipelines:previewActorIds": JSON.stringify([583231, bad]) });
      assert.deepEqual(
        problems,
        [
          `pipelines:previewActorIds[1]: must be a numeric GitHub user id (the id field of https://api.github.com/users/<login>), not a login (got ${JSON.stringify(bad)})`,
        ],
        bad,
      );
    }
    assert.deepEqual(problemsOf({ "pipelines:previewActorIds": '"583231"' }), [
      'pipelines:previewActorIds: must be a list of numeric GitHub user ids (got "583231")',
    ]);
  });
});
