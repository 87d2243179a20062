import type { PipelineNotification } from "./pipeline-notification";
import {
  buttons,
  escape,
  facts,
  header,
  section,
  truncate,
  type SlackBlock,
  type SlackMessage,
} from "./slack-blocks";

interface Status {
  readonly label: string;
  readonly emoji: string;
}

const pipelineStatus: Readonly<Record<string, Status>> = {
  STARTED: { label: "Started", emoji: ":arrow_forward:" },
  SUCCEEDED: { label: "Succeeded", emoji: ":white_check_mark:" },
  FAILED: { label: "Failed", emoji: ":x:" },
  SUPERSEDED: { label: "Superseded", emoji: ":fast_forward:" },
  CANCELED: { label: "Canceled", emoji: ":no_entry_sign:" },
  STOPPING: { label: "Stopping", emoji: ":octagonal_sign:" },
  STOPPED: { label: "Stopped", emoji: ":octagonal_sign:" },
  RESUMED: { label: "Resumed", emoji: ":repeat:" },
  ABANDONED: { label: "Abandoned", emoji: ":wastebasket:" },
};

const approvalStatus: Readonly<Record<string, Status>> = {
  STARTED: { label: "Approval needed", emoji: ":raised_hand:" },
  SUCCEEDED: { label: "Approved", emoji: ":thumbsup:" },
  FAILED: { label: "Rejected", emoji: ":no_entry:" },
};

const commitSubjectLimit = 200;

/** The status a reader sees for a CodePipeline state. */
export function statusOf(notification: Pick<PipelineNotification, "state" | "approval">): Status {
  const table = notification.approval ? approvalStatus : pipelineStatus;
  const known = Object.hasOwn(table, notification.state) ? table[notification.state] : undefined;
  return known ?? { label: sentenceCase(notification.state), emoji: ":information_source:" };
}

/** The Slack message announcing one pipeline notification in one environment (stack). */
export function pipelineMessage(
  notification: PipelineNotification,
  environment: string,
): SlackMessage {
  const status = statusOf(notification);
  const blocks: SlackBlock[] = [
    header(`${status.emoji} ${notification.pipeline}: ${status.label}`),
    facts([
      ["Pipeline", notification.pipeline],
      ["Environment", environment],
      ["Stage", notification.stage],
      ["Action", notification.approval ? notification.action : undefined],
      ["Status", status.label],
    ]),
  ];
  if (notification.commit) {
    const subject = notification.commit.message
      ? `\n>${escape(truncate(firstLine(notification.commit.message), commitSubjectLimit))}`
      : "";
    blocks.push(section(`*Commit* \`${escape(notification.commit.id)}\`${subject}`));
  }
  if (notification.approvalNote)
    blocks.push(section(`*Note for the reviewer*\n${escape(notification.approvalNote)}`));
  blocks.push(
    buttons([
      ["approve", "Approve or reject", notification.approveUrl, "primary"],
      ["review", "Review what is approved", notification.reviewUrl],
      ["execution", "View execution", notification.executionUrl],
    ]),
  );
  return { text: `${status.label}: ${notification.pipeline} (${environment})`, blocks };
}

function firstLine(value: string): string {
  return value.trim().split(/\r?\n/, 1)[0];
}

function sentenceCase(state: string): string {
  const words = state.toLowerCase().replace(/_/g, " ");
  return words.charAt(0).toUpperCase() + words.slice(1);
}
