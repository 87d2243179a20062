import { policyTarget, runPolicies, unknownDuringPreview } from "../support/policy";
import { expectNoViolations, expectOnlyViolationsOf } from "./expect-violations";

const lambda = (variables: Record<string, string>) =>
  policyTarget("aws:lambda/function:Function", "api", {
    runtime: "nodejs20.x",
    handler: "index.handler",
    role: "arn:aws:iam::123456789012:role/api",
    environment: { variables },
  });

describe("policies: Lambda environment variables", () => {
  it("accepts database location settings and references to where the password is", async () => {
    const good = lambda({
      PGHOST: "cupping.abc123.us-east-1.rds.amazonaws.com",
      PGPORT: "5432",
      PGDATABASE: "cupping",
      PGUSER: "cupping",
      PGSSLMODE: "require",
      PGPASSWORD_SECRET_ARN: "arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!db-1",
      SLACK_WEBHOOK_PARAMETER: "/cupping/dev/slack-webhook-url",
      KMS_KEY_ID: "alias/cupping",
      POWERTOOLS_SERVICE_NAME: "cupping",
      DB_SECRET_ARN: unknownDuringPreview,
    });
    expectNoViolations(await runPolicies([good]));
  });

  it("accepts a function without environment variables", async () => {
    expectNoViolations(
      await runPolicies([
        policyTarget("aws:lambda/function:Function", "bare", {
          runtime: "nodejs20.x",
          handler: "index.handler",
          role: "r",
        }),
      ]),
    );
  });

  const cases: ReadonlyArray<{
    what: string;
    variables: Record<string, string>;
    fragment: string;
  }> = [
    {
      what: "the database password",
      variables: { PGPASSWORD: "hunter2" },
      fragment: "PGPASSWORD carries a secret: its name suggests a secret (PASSWORD)",
    },
    {
      what: "a secret whose value is not known yet",
      variables: { SIGNING_SECRET: unknownDuringPreview },
      fragment: "(SECRET)",
    },
    {
      what: "a database URL with a password",
      variables: { DATABASE_URL: "postgresql://cupping:hunter2@db.internal/cupping" },
      fragment: "a URL with a password in it",
    },
    {
      what: "a Slack incoming webhook URL",
      variables: { SLACK_URL: "https://hooks.slack.com/services/T000/B000/XXXXXXXX" },
      fragment: "a Slack webhook URL",
    },
    {
      what: "a GitHub token",
      variables: { GH: "ghp_0123456789abcdefghijklmnopqrstuvwxyzAB" },
      fragment: "a GitHub token",
    },
    {
      what: "an ARN-named variable with a credential in it",
      variables: { TOKEN_ARN: "xoxb-1234567890-abcdefghij" },
      fragment: "a Slack token",
    },
  ];
  for (const { what, variables, fragment } of cases) {
    it(`lambda-no-secret-in-environment catches ${what}`, async () => {
      const bad = lambda({ PGHOST: "db", ...variables });
      expectOnlyViolationsOf(
        await runPolicies([bad]),
        "lambda-no-secret-in-environment",
        bad.urn,
        fragment,
        "read it at run time",
      );
    });
  }
});
