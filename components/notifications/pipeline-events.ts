/**
 * The CodeStar Notifications event types of a pipeline that people hear about: a run starts, ends (succeeded, failed,
 * or overtaken by a newer run), or waits for a manual approval. Ids as listed in the AWS Developer Tools console guide.
 */
export const pipelineEvents = [
  "codepipeline-pipeline-pipeline-execution-started",
  "codepipeline-pipeline-pipeline-execution-succeeded",
  "codepipeline-pipeline-pipeline-execution-failed",
  "codepipeline-pipeline-pipeline-execution-superseded",
  "codepipeline-pipeline-manual-approval-needed",
] as const;
