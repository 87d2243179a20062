import { strict as assert } from "node:assert";
import { githubOidcTrustPolicy, oidcSubject } from "../../components/github-actions";
import { decideTrust, type AssumeRequest } from "../support/iam-evaluator";
import { mockAccountId } from "../../tooling/mocks/invokes";

const repository = { owner: "acme-coffee", name: "cupping-service" };
const provider = `arn:aws:iam::${mockAccountId}:oidc-provider/token.actions.githubusercontent.com`;
const token = (sub: string, aud = "sts.amazonaws.com"): AssumeRequest => ({
  principal: provider,
  action: "sts:AssumeRoleWithWebIdentity",
  context: {
    "token.actions.githubusercontent.com:sub": sub,
    "token.actions.githubusercontent.com:aud": aud,
  },
});

describe("GitHub OIDC subjects and trust policies", () => {
  it("writes the subjects GitHub documents for pull_request runs and environment jobs", () => {
    assert.equal(
      oidcSubject(repository, { event: "pull_request" }),
      "repo:acme-coffee/cupping-service:pull_request",
    );
    assert.equal(
      oidcSubject(repository, { environment: "production" }),
      "repo:acme-coffee/cupping-service:environment:production",
    );
    assert.equal(
      oidcSubject(
        { ...repository, ids: { owner: 123456, repository: 456789 } },
        { environment: "production" },
      ),
      "repo:acme-coffee@123456/cupping-service@456789:environment:production",
    );
    assert.equal(
      oidcSubject(repository, { environment: "prod:v1" }),
      "repo:acme-coffee/cupping-service:environment:prod%3Av1",
    );
  });

  const role = (name: string, context: Parameters<typeof githubOidcTrustPolicy>[2]) => ({
    arn: `arn:aws:iam::${mockAccountId}:role/pipelines/production/${name}`,
    trust: githubOidcTrustPolicy(provider, repository, context),
  });
  const preview = role("github-actions-preview-role", { event: "pull_request" });
  const deploy = role("github-actions-deploy-role", { environment: "production" });
  const repo = "repo:acme-coffee/cupping-service";

  // Each case is a token an attacker could get GitHub to sign, and the role they try it on.
  const cases: ReadonlyArray<{
    what: string;
    role: typeof preview;
    request: AssumeRequest;
    expect: "Allowed" | "ImplicitlyDenied";
  }> = [
    {
      what: "a pull_request run takes the preview role",
      role: preview,
      request: token(`${repo}:pull_request`),
      expect: "Allowed",
    },
    {
      what: "a job in the production environment takes the deploy role",
      role: deploy,
      request: token(`${repo}:environment:production`),
      expect: "Allowed",
    },
    {
      what: "a pull_request run takes the deploy role",
      role: deploy,
      request: token(`${repo}:pull_request`),
      expect: "ImplicitlyDenied",
    },
    {
      what: "a push to the production branch outside the environment takes the deploy role",
      role: deploy,
      request: token(`${repo}:ref:refs/heads/production`),
      expect: "ImplicitlyDenied",
    },
    {
      what: "a job in another environment (dev) takes the production deploy role",
      role: deploy,
      request: token(`${repo}:environment:dev`),
      expect: "ImplicitlyDenied",
    },
    {
      what: "a job in the environment takes the preview role",
      role: preview,
      request: token(`${repo}:environment:production`),
      expect: "ImplicitlyDenied",
    },
    {
      what: "another repository's pull_request run takes the preview role",
      role: preview,
      request: token("repo:acme-coffee/other-service:pull_request"),
      expect: "ImplicitlyDenied",
    },
    {
      what: "another repository's environment job takes the deploy role",
      role: deploy,
      request: token("repo:mallory/cupping-service:environment:production"),
      expect: "ImplicitlyDenied",
    },
    {
      what: "a subject that only starts like the repository's takes the preview role",
      role: preview,
      request: token(`${repo}-fork:pull_request`),
      expect: "ImplicitlyDenied",
    },
    {
      what: "a token for another audience takes the deploy role",
      role: deploy,
      request: token(`${repo}:environment:production`, "https://github.com/acme-coffee"),
      expect: "ImplicitlyDenied",
    },
    {
      what: "another OIDC provider's token with the same subject takes the deploy role",
      role: deploy,
      request: {
        ...token(`${repo}:environment:production`),
        principal: `arn:aws:iam::${mockAccountId}:oidc-provider/gitlab.example.com`,
      },
      expect: "ImplicitlyDenied",
    },
    {
      what: "a role of the account takes the deploy role with AssumeRole",
      role: deploy,
      request: {
        principal: `arn:aws:iam::${mockAccountId}:role/pipelines/production/pipeline-build-role`,
        action: "sts:AssumeRole",
        context: {},
      },
      expect: "ImplicitlyDenied",
    },
  ];

  for (const c of cases) {
    it(`${c.what}: ${c.expect === "Allowed" ? "allowed" : "denied"}`, () => {
      assert.equal(decideTrust(c.role, c.request), c.expect);
    });
  }

  it("conditions on the exact subject and audience (StringEquals, no wildcard)", () => {
    assert.deepEqual(deploy.trust.Statement, [
      {
        Effect: "Allow",
        Principal: { Federated: provider },
        Action: ["sts:AssumeRoleWithWebIdentity"],
        Condition: {
          StringEquals: {
            "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
            "token.actions.githubusercontent.com:sub": `${repo}:environment:production`,
          },
        },
      },
    ]);
  });
});
