import { alarmMessage } from "./alarm-message";
import { driftMessage } from "./drift-message";
import type { Notification } from "./notification";
import { pipelineMessage } from "./pipeline-message";
import type { SlackMessage } from "./slack-blocks";

/** The Slack message announcing one notification in one environment (stack). */
export function slackMessage(notification: Notification, environment: string): SlackMessage {
  switch (notification.kind) {
    case "alarm":
      return alarmMessage(notification, environment);
    case "drift":
      return driftMessage(notification, environment);
    case "pipeline":
      return pipelineMessage(notification, environment);
  }
}
