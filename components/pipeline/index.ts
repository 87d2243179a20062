export {
  actionTypes,
  type ActionCategory,
  type ActionOwner,
  type ActionProvider,
  type ActionType,
} from "./action-types";
export { ApprovalTopic, type ApprovalTopicArgs } from "./approval";
export { ArtifactStore, type ArtifactStoreArgs } from "./artifact-store";
export {
  BuildProject,
  projectEnvironment,
  type BuildEnvironment,
  type BuildProjectArgs,
} from "./build-project";
export { renderBuildspec, type Buildspec } from "./buildspec";
export { generatedBuildspec } from "./buildspecs";
export { DeployCredentials, type DeployCredentialsArgs } from "./deploy-credentials";
export { DriftCheck, type DriftCheckArgs } from "./drift-check";
export { deployActionsOnAnyResource, deployPolicyStatements } from "./deploy-policy";
export { pipelineMermaid, type MermaidStage } from "./mermaid";
export { PackageRepository, type PackageRepositoryArgs } from "./package-repository";
export { Pipeline, type PipelineArgs, type PipelineSource, type ProjectContext } from "./pipeline";
export {
  pipelineNameFor,
  projectsOf,
  sourceActionOf,
  stagePlan,
  type ActionPlan,
  type PlanSettings,
  type ProjectPlan,
  type StagePlan,
  type StagePlanStage,
} from "./plan";
export { assertSoundPlan, planProblems } from "./plan-rules";
export { RepositoryCredential, type RepositoryCredentialArgs } from "./repository-credential";
