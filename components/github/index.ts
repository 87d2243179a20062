export { pullRequestFilterGroups, pushFilters } from "./branch-filters";
export {
  previewBuildspec,
  previewFactsFile,
  previewOutputFile,
  type PreviewBuild,
} from "./preview-buildspec";
export { previewRolePolicy, readActionsByInvoke, s3StateLocation } from "./preview-permissions";
export { PullRequestPreviews, type PullRequestPreviewsArgs } from "./pull-request-previews";
export { connectionName, SourceConnection, type SourceConnectionArgs } from "./source-connection";
export { Webhooks, type WebhooksArgs } from "./webhooks";
