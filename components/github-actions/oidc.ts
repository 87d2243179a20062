import { webIdentityAssumeRolePolicy, type PolicyDocument } from "../iam";

/** GitHub Actions' OIDC issuer, as the IAM provider names it, and the audience configure-aws-credentials asks for. */
export const githubOidc = {
  url: "https://token.actions.githubusercontent.com",
  host: "token.actions.githubusercontent.com",
  audience: "sts.amazonaws.com",
} as const;

/** The repository whose workflows' tokens a role trusts. */
export interface GitHubRepository {
  readonly owner: string;
  readonly name: string;
  /** Numeric ids of the owner and the repository, when its subjects are immutable (`repo:owner@<id>/name@<id>:...`). */
  readonly ids?: { readonly owner: number; readonly repository: number };
}

/** What a job's token says it runs as: a pull_request run without an environment, or a job in an environment. */
export type TokenContext = { readonly event: "pull_request" } | { readonly environment: string };

/**
 * The `sub` claim GitHub puts in the tokens of such a job (GitHub's OpenID Connect reference, "Example subject
 * claims"): a job that names an environment says so instead of its event or branch, so the two never coincide.
 */
export function oidcSubject(repository: GitHubRepository, context: TokenContext): string {
  const { owner, name, ids } = repository;
  const repo = ids ? `${owner}@${ids.owner}/${name}@${ids.repository}` : `${owner}/${name}`;
  // GitHub writes a colon inside a value as %3A.
  return "event" in context
    ? `repo:${repo}:pull_request`
    : `repo:${repo}:environment:${context.environment.replace(/:/g, "%3A")}`;
}

/** A role only the tokens of that one kind of job of that one repository may take, for AWS STS only. */
export function githubOidcTrustPolicy(
  providerArn: string,
  repository: GitHubRepository,
  context: TokenContext,
): PolicyDocument {
  return webIdentityAssumeRolePolicy(providerArn, {
    [`${githubOidc.host}:aud`]: githubOidc.audience,
    [`${githubOidc.host}:sub`]: oidcSubject(repository, context),
  });
}
