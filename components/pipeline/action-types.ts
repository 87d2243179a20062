/**
 * The CodePipeline action types the pipeline uses, as the CodePipeline action reference documents them:
 * who owns each, its version, the categories it may take, its configuration keys and how many artifacts it takes.
 */
export type ActionCategory = "Source" | "Build" | "Test" | "Approval";
export type ActionOwner = "AWS" | "ThirdParty";
export type ActionProvider = "CodeStarSourceConnection" | "GitHub" | "CodeBuild" | "Manual";

export interface ArtifactCount {
  readonly min: number;
  readonly max: number;
}

export interface ActionType {
  readonly provider: ActionProvider;
  readonly owner: ActionOwner;
  readonly version: string;
  readonly categories: readonly ActionCategory[];
  /** Configuration keys the action must have. */
  readonly requiredKeys: readonly string[];
  /** Configuration keys the action may have besides the required ones. */
  readonly optionalKeys: readonly string[];
  readonly inputArtifacts: ArtifactCount;
  readonly outputArtifacts: ArtifactCount;
}

export const actionTypes: Readonly<Record<ActionProvider, ActionType>> = {
  CodeStarSourceConnection: {
    provider: "CodeStarSourceConnection",
    owner: "AWS",
    version: "1",
    categories: ["Source"],
    requiredKeys: ["ConnectionArn", "FullRepositoryId", "BranchName"],
    optionalKeys: ["DetectChanges", "OutputArtifactFormat"],
    inputArtifacts: { min: 0, max: 0 },
    outputArtifacts: { min: 1, max: 1 },
  },
  // GitHub (version 1): the OAuth-token source action that a GitHub webhook starts.
  GitHub: {
    provider: "GitHub",
    owner: "ThirdParty",
    version: "1",
    categories: ["Source"],
    requiredKeys: ["Owner", "Repo", "Branch", "OAuthToken"],
    optionalKeys: ["PollForSourceChanges"],
    inputArtifacts: { min: 0, max: 0 },
    outputArtifacts: { min: 1, max: 1 },
  },
  CodeBuild: {
    provider: "CodeBuild",
    owner: "AWS",
    version: "1",
    categories: ["Build", "Test"],
    requiredKeys: ["ProjectName"],
    optionalKeys: ["PrimarySource", "BatchEnabled", "CombineArtifacts", "EnvironmentVariables"],
    inputArtifacts: { min: 1, max: 5 },
    outputArtifacts: { min: 0, max: 5 },
  },
  Manual: {
    provider: "Manual",
    owner: "AWS",
    version: "1",
    categories: ["Approval"],
    requiredKeys: [],
    optionalKeys: ["NotificationArn", "CustomData", "ExternalEntityLink"],
    inputArtifacts: { min: 0, max: 0 },
    outputArtifacts: { min: 0, max: 0 },
  },
};
