import type { PipelineNotification } from "./pipeline-notification";

interface PlainText {
  readonly type: "plain_text";
  readonly text: string;
  readonly emoji?: boolean;
}

interface Markdown {
  readonly type: "mrkdwn";
  readonly text: string;
}

interface LinkButton {
  readonly type: "button";
  readonly action_id: string;
  readonly text: PlainText;
  readonly url: string;
  readonly style?: "primary";
}

/** The Block Kit blocks this notifier uses. */
export type SlackBlock =
  | { readonly type: "header"; readonly text: PlainText }
  | { readonly type: "section"; readonly text?: Markdown; readonly fields?: readonly Markdown[] }
  | { readonly type: "actions"; readonly elements: readonly LinkButton[] };

/** The JSON body posted to a Slack incoming webhook. */
export interface SlackMessage {
  /** Shown in notifications and by clients that cannot show blocks. */
  readonly text: string;
  readonly blocks: readonly SlackBlock[];
}

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

// Block Kit limits: header text 150 characters, section text 3000, field text 2000.
const headerLimit = 150;
const sectionLimit = 3000;
const fieldLimit = 2000;
const commitSubjectLimit = 200;

/** The status a reader sees for a CodePipeline state. */
export function statusOf(notification: Pick<PipelineNotification, "state" | "approval">): Status {
  const table = notification.approval ? approvalStatus : pipelineStatus;
  const known = Object.hasOwn(table, notification.state) ? table[notification.state] : undefined;
  return known ?? { label: sentenceCase(notification.state), emoji: ":information_source:" };
}

/** The Slack message announcing one pipeline notification in one environment (stack). */
export function slackMessage(notification: PipelineNotification, environment: string): SlackMessage {
  const status = statusOf(notification);
  const blocks: SlackBlock[] = [
    { type: "header", text: { type: "plain_text", text: truncate(`${status.emoji} ${notification.pipeline}: ${status.label}`, headerLimit), emoji: true } },
    { type: "section", fields: fieldsOf(notification, environment, status) },
  ];
  if (notification.commit) {
    const subject = notification.commit.message ? `\n>${escape(truncate(firstLine(notification.commit.message), commitSubjectLimit))}` : "";
    blocks.push(section(`*Commit* \`${escape(notification.commit.id)}\`${subject}`));
  }
  if (notification.approvalNote) blocks.push(section(`*Note for the reviewer*\n${escape(notification.approvalNote)}`));
  blocks.push({ type: "actions", elements: buttonsOf(notification) });
  return { text: `${status.label}: ${notification.pipeline} (${environment})`, blocks };
}

function fieldsOf(notification: PipelineNotification, environment: string, status: Status): Markdown[] {
  const facts: Array<[string, string | undefined]> = [
    ["Pipeline", notification.pipeline],
    ["Environment", environment],
    ["Stage", notification.stage],
    ["Action", notification.approval ? notification.action : undefined],
    ["Status", status.label],
  ];
  return facts.flatMap(([name, value]) => (value ? [{ type: "mrkdwn" as const, text: truncate(`*${name}*\n${escape(value)}`, fieldLimit) }] : []));
}

function buttonsOf(notification: PipelineNotification): LinkButton[] {
  const links: Array<[id: string, label: string, url: string | undefined, style?: "primary"]> = [
    ["approve", "Approve or reject", notification.approveUrl, "primary"],
    ["review", "Review what is approved", notification.reviewUrl],
    ["execution", "View execution", notification.executionUrl],
  ];
  return links.flatMap(([id, label, url, style]) =>
    url ? [{ type: "button" as const, action_id: id, text: { type: "plain_text" as const, text: label }, url, ...(style ? { style } : {}) }] : [],
  );
}

function section(text: string): SlackBlock {
  return { type: "section", text: { type: "mrkdwn", text: truncate(text, sectionLimit) } };
}

// Slack reads &, < and > in mrkdwn as markup; everything else is shown as written.
function escape(value: string): string {
  return value.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

// A cut never leaves half an escaped character such as "&am".
function truncate(value: string, limit: number): string {
  return value.length <= limit ? value : `${value.slice(0, limit - 1).replace(/&[a-z]*$/, "")}…`;
}

function firstLine(value: string): string {
  return value.trim().split(/\r?\n/, 1)[0];
}

function sentenceCase(state: string): string {
  const words = state.toLowerCase().replace(/_/g, " ");
  return words.charAt(0).toUpperCase() + words.slice(1);
}
