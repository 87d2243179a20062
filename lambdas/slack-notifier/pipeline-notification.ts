import * as z from "zod";
import { extra, text, validated } from "./sns-message";

/** A commit the pipeline execution is building. */
export interface Commit {
  readonly id: string;
  readonly message?: string;
}

/** What a pipeline reported, reduced to what a Slack reader needs. */
export interface PipelineNotification {
  readonly kind: "pipeline";
  readonly pipeline: string;
  /** CodePipeline state of what changed: STARTED, SUCCEEDED, FAILED, SUPERSEDED, ... */
  readonly state: string;
  /** True when the change is about a manual approval action. */
  readonly approval: boolean;
  /** The stage that changed, or the stage that failed a failed execution. */
  readonly stage?: string;
  readonly action?: string;
  readonly commit?: Commit;
  /** Console page of the execution (of the pipeline when the notification names no execution). */
  readonly executionUrl: string;
  /** Console page where the reviewer approves or rejects. */
  readonly approveUrl?: string;
  /** What is to be approved, as linked by the approval action. */
  readonly reviewUrl?: string;
  /** The approval action's note to the reviewer. */
  readonly approvalNote?: string;
}

const link = z.url({ protocol: /^https?$/ });

/** CodeStar Notifications delivery of a CodePipeline EventBridge event ("detail-type" becomes "detailType"). */
const stateChangeEvent = z.object({
  source: z.literal("aws.codepipeline"),
  detailType: z.enum([
    "CodePipeline Pipeline Execution State Change",
    "CodePipeline Stage Execution State Change",
    "CodePipeline Action Execution State Change",
  ]),
  region: z.string().regex(/^[a-z0-9-]+$/, "expected an AWS region such as eu-west-1"),
  detail: z.object({
    pipeline: text,
    "execution-id": text,
    state: text,
    stage: extra(text),
    action: extra(text),
    type: extra(z.object({ category: text })),
    "execution-trigger": extra(
      z.object({ "commit-id": extra(text), "commit-message": extra(text) }),
    ),
  }),
  additionalAttributes: extra(
    z.object({
      sourceActions: extra(
        z.array(
          z.object({
            sourceActionVariables: extra(
              z.object({ CommitId: extra(text), CommitMessage: extra(text) }),
            ),
          }),
        ),
      ),
      failedStage: extra(text),
      externalEntityLink: extra(link),
      customData: extra(text),
    }),
  ),
});

/** The JSON a manual approval action itself publishes to its notification topic. */
const approvalRequest = z.object({
  region: text,
  consoleLink: link,
  approval: z.object({
    pipelineName: text,
    stageName: text,
    actionName: text,
    approvalReviewLink: link,
    externalEntityLink: extra(link),
    customData: extra(text),
  }),
});

/** Reads a CodePipeline notification from an SNS message's JSON; throws MalformedMessageError naming what is wrong. */
export function pipelineNotificationFrom(parsed: object): PipelineNotification {
  return "approval" in parsed ? fromApprovalRequest(parsed) : fromStateChangeEvent(parsed);
}

function fromStateChangeEvent(parsed: object): PipelineNotification {
  const event = validated(stateChangeEvent, parsed, "a CodePipeline state change notification");
  const { detail, additionalAttributes: attributes } = event;
  const approval =
    event.detailType === "CodePipeline Action Execution State Change" &&
    detail.type?.category === "Approval";
  return {
    kind: "pipeline",
    pipeline: detail.pipeline,
    state: detail.state,
    approval,
    stage: detail.stage ?? attributes?.failedStage,
    action: detail.action,
    commit: commitOf(event),
    executionUrl: executionUrl(event.region, detail.pipeline, detail["execution-id"]),
    reviewUrl: approval ? attributes?.externalEntityLink : undefined,
    approvalNote: approval ? attributes?.customData : undefined,
  };
}

function fromApprovalRequest(parsed: object): PipelineNotification {
  const { consoleLink, approval } = validated(
    approvalRequest,
    parsed,
    "a CodePipeline manual approval notification",
  );
  return {
    kind: "pipeline",
    pipeline: approval.pipelineName,
    state: "STARTED",
    approval: true,
    stage: approval.stageName,
    action: approval.actionName,
    executionUrl: consoleLink,
    approveUrl: approval.approvalReviewLink,
    reviewUrl: approval.externalEntityLink,
    approvalNote: approval.customData,
  };
}

// Source actions report the commit in FULL notifications; connection-triggered executions also carry it in the trigger.
function commitOf(event: z.infer<typeof stateChangeEvent>): Commit | undefined {
  const source = event.additionalAttributes?.sourceActions?.find(
    (action) => action.sourceActionVariables?.CommitId,
  )?.sourceActionVariables;
  if (source?.CommitId) return { id: source.CommitId, message: source.CommitMessage };
  const trigger = event.detail["execution-trigger"];
  if (trigger?.["commit-id"])
    return { id: trigger["commit-id"], message: trigger["commit-message"] };
  return undefined;
}

/** The CodePipeline console page of one execution. */
function executionUrl(region: string, pipeline: string, executionId: string): string {
  return (
    `https://${region}.console.aws.amazon.com/codesuite/codepipeline/pipelines/${encodeURIComponent(pipeline)}` +
    `/executions/${encodeURIComponent(executionId)}/timeline?region=${region}`
  );
}
