import type { DriftNotification } from "./drift-notification";
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

// Slack refuses a section longer than 3000 characters.
const sectionLimit = 3000;

/** The Slack message about drift in one environment (stack): how many resources, and which. */
export function driftMessage(notification: DriftNotification, environment: string): SlackMessage {
  const count = notification.resources.length;
  const list = notification.resources
    .map(
      (r) =>
        `• ${r.kind} \`${escape(r.urn.split("::").pop() ?? r.urn)}\`${r.properties.length ? ` (${escape(r.properties.join(", "))})` : ""}`,
    )
    .join("\n");
  const blocks: SlackBlock[] = [
    header(
      `:warning: Drift in ${notification.stack}: ${count} resource${count === 1 ? "" : "s"} changed outside Pulumi`,
    ),
    facts([
      ["Stack", notification.stack],
      ["Environment", environment],
    ]),
    section(
      truncate(`*Drifted resources* (the next deploy changes them back)\n${list}`, sectionLimit),
    ),
  ];
  if (notification.buildUrl)
    blocks.push(buttons([["drift", "View drift check", notification.buildUrl]]));
  return {
    text: `Drift in ${notification.stack}: ${count} resource(s) changed outside Pulumi (${environment})`,
    blocks,
  };
}
