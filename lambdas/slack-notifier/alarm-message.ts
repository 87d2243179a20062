import type { AlarmNotification, AlarmState } from "./alarm-notification";
import {
  buttons,
  escape,
  facts,
  header,
  section,
  type SlackBlock,
  type SlackMessage,
} from "./slack-blocks";

const stateEmoji: Readonly<Record<AlarmState, string>> = {
  ALARM: ":rotating_light:",
  OK: ":white_check_mark:",
  INSUFFICIENT_DATA: ":grey_question:",
};

/** The Slack message announcing one alarm's change of state in one environment (stack); states as CloudWatch names them. */
export function alarmMessage(notification: AlarmNotification, environment: string): SlackMessage {
  const blocks: SlackBlock[] = [
    header(`${stateEmoji[notification.state]} ${notification.alarm}: ${notification.state}`),
    facts([
      ["Alarm", notification.alarm],
      ["Environment", environment],
      ["State", notification.state],
      ["Previous state", notification.previousState],
      ["Metric", notification.metric],
    ]),
  ];
  if (notification.description)
    blocks.push(section(`*Description*\n${escape(notification.description)}`));
  blocks.push(section(`*Reason*\n${escape(notification.reason)}`));
  blocks.push(buttons([["alarm", "View alarm", notification.alarmUrl]]));
  return { text: `${notification.state}: ${notification.alarm} (${environment})`, blocks };
}
