export { ActionsAccess, type ActionsAccessArgs } from "./actions-access";
export {
  githubOidc,
  githubOidcTrustPolicy,
  oidcSubject,
  type GitHubRepository,
  type TokenContext,
} from "./oidc";
export {
  environmentNames,
  previewNames,
  secretValues,
  type PreviewValue,
  type WorkflowValue,
} from "./workflow-names";
