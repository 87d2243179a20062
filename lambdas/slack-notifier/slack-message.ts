import { alarmMessage } from "./alarm-message";
import type { Notification } from "./notification";
import { pipelineMessage } from "./pipeline-message";
import type { SlackMessage } from "./slack-blocks";

/** The Slack message announcing one notification in one environment (stack). */
export function slackMessage(notification: Notification, environment: string): SlackMessage {
  return notification.kind === "alarm" ? alarmMessage(notification, environment) : pipelineMessage(notification, environment);
}
