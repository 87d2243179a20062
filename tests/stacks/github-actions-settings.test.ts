import { strict as assert } from "node:assert";
import { settingsOf, settingsProblemsOf } from "../pipeline/settings-fixture";

const problemsOf = settingsProblemsOf;

const actionsDeployed = {
  "pipelines:githubActions": true,
  "pipelines:deployer": "github-actions",
  "pipelines:stages": ["test"],
};

describe("GitHub Actions settings", () => {
  it("are off by default: no stack file turns them on", () => {
    assert.equal(settingsOf("dev").githubActions, undefined);
    assert.equal(settingsOf("production").githubActions, undefined);
  });

  it("read the provider, the repository's ids and the reviewers split into users and teams", () => {
    const arn = "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com";
    assert.deepEqual(
      settingsOf("production", {
        ...actionsDeployed,
        "pipelines:githubOidcProviderArn": arn,
        "pipelines:githubRepositoryIds": "1001/2002",
        "pipelines:deployReviewers": ["user:12", "team:34", "user:56"],
      }).githubActions,
      {
        oidcProviderArn: arn,
        repositoryIds: { owner: 1001, repository: 2002 },
        reviewers: { users: [12, 56], teams: [34] },
      },
    );
    assert.deepEqual(settingsOf("dev", { "pipelines:githubActions": true }).githubActions, {
      oidcProviderArn: undefined,
      repositoryIds: undefined,
      reviewers: { users: [], teams: [] },
    });
  });

  it("refuse bad values, naming the key and what is allowed", () => {
    assert.deepEqual(
      problemsOf("production", {
        ...actionsDeployed,
        "pipelines:deployReviewers": ["octocat", "team:x"],
        "pipelines:githubOidcProviderArn": "arn:aws:iam::123456789012:oidc-provider/gitlab.com",
        "pipelines:githubRepositoryIds": "acme/cupping",
      }),
      [
        `pipelines:githubOidcProviderArn: must be the ARN of the account's IAM OIDC provider for token.actions.githubusercontent.com, or empty (got "arn:aws:iam::123456789012:oidc-provider/gitlab.com")`,
        `pipelines:githubRepositoryIds: must be <owner id>/<repository id>, both numeric (the ids GitHub's API reports), or empty (got "acme/cupping")`,
        `pipelines:deployReviewers[0]: must be user:<numeric id> or team:<numeric id> (got "octocat")`,
        `pipelines:deployReviewers[1]: must be user:<numeric id> or team:<numeric id> (got "team:x")`,
      ],
    );
    assert.deepEqual(
      problemsOf("production", {
        ...actionsDeployed,
        "pipelines:deployReviewers": [
          "user:1",
          "user:2",
          "user:3",
          "user:4",
          "user:5",
          "user:6",
          "team:7",
        ],
      }),
      [
        'pipelines:deployReviewers: GitHub allows at most 6 required reviewers (got ["user:1","user:2","user:3","user:4","user:5","user:6","team:7"])',
      ],
    );
  });

  it("refuse keys that nothing reads: set while the switch is off, or reviewers for a pipeline-deployed stack", () => {
    assert.deepEqual(problemsOf("dev", { "pipelines:deployReviewers": ["user:1"] }), [
      "pipelines:deployReviewers: is set but pipelines:githubActions is false, so nothing reads it; set pipelines:githubActions: true or remove it",
    ]);
    assert.deepEqual(
      problemsOf("dev", {
        "pipelines:githubActions": true,
        "pipelines:deployReviewers": ["user:1"],
      }),
      [
        'pipelines:deployReviewers: approve deploys through the GitHub environment, but pipelines:deployer is "pipeline" (the pipeline\'s approval stage and approvalEmails approve its deploys); remove it or set pipelines:deployer to "github-actions"',
      ],
    );
  });

  it("need the GitHub token for the provider", () => {
    const problems = problemsOf("production", {
      ...actionsDeployed,
      "github:token": undefined,
      "pipelines:pullRequestPreviews": false,
    });
    assert.ok(
      problems.some((p) =>
        p.startsWith(
          "github:token: required secret is missing (pipelines:githubActions manages the repository's environment",
        ),
      ),
      problems.join("\n"),
    );
  });
});
