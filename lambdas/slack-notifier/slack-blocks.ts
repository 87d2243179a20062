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

/** A labelled fact; facts without a value are left out. */
export type Fact = readonly [name: string, value: string | undefined];

/** A link button; links without a URL are left out. */
export type Link = readonly [id: string, label: string, url: string | undefined, style?: "primary"];

// Block Kit limits: header text 150 characters, section text 3000, field text 2000.
const headerLimit = 150;
const sectionLimit = 3000;
const fieldLimit = 2000;

/** The message's title line, as plain text with emoji codes. */
export function header(text: string): SlackBlock {
  return {
    type: "header",
    text: { type: "plain_text", text: truncate(text, headerLimit), emoji: true },
  };
}

/** Facts side by side, the name in bold over the (escaped) value. */
export function facts(list: readonly Fact[]): SlackBlock {
  const fields = list.flatMap(([name, value]) =>
    value
      ? [{ type: "mrkdwn" as const, text: truncate(`*${name}*\n${escape(value)}`, fieldLimit) }]
      : [],
  );
  return { type: "section", fields };
}

/** A paragraph of mrkdwn; the caller escapes what it did not write itself. */
export function section(text: string): SlackBlock {
  return { type: "section", text: { type: "mrkdwn", text: truncate(text, sectionLimit) } };
}

/** A row of link buttons. */
export function buttons(links: readonly Link[]): SlackBlock {
  const elements = links.flatMap(([id, label, url, style]) =>
    url
      ? [
          {
            type: "button" as const,
            action_id: id,
            text: { type: "plain_text" as const, text: label },
            url,
            ...(style ? { style } : {}),
          },
        ]
      : [],
  );
  return { type: "actions", elements };
}

// Slack reads &, < and > in mrkdwn as markup; everything else is shown as written.
export function escape(value: string): string {
  return value.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

// A cut never leaves half an escaped character such as "&am".
export function truncate(value: string, limit: number): string {
  return value.length <= limit ? value : `${value.slice(0, limit - 1).replace(/&[a-z]*$/, "")}…`;
}
