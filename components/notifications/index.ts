export {
  Notifications,
  notificationsWanted,
  type NotificationRecipients,
  type NotificationsArgs,
} from "./notifications";
export { pipelineEvents } from "./pipeline-events";
export { SlackNotifier, slackNotifierBundle, type SlackNotifierArgs } from "./slack-notifier";
