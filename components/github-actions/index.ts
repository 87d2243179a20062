export { ActionsAccess, type ActionsAccessArgs } from "./actions-access";
export {
  githubOidc,
  githubOidcTrustPolicy,
  oidcSubject,
  type GitHubRepository,
  type TokenContext,
} from "./oidc";
export { environmentNames, previewNames, secretValues } from "./workflow-names";
