import { alarmNotificationFrom, type AlarmNotification } from "./alarm-notification";
import { pipelineNotificationFrom, type PipelineNotification } from "./pipeline-notification";
import { jsonObjectIn } from "./sns-message";

/** Something the topic carries that people hear about: a pipeline's run or approval, or an alarm's change of state. */
export type Notification = PipelineNotification | AlarmNotification;

/**
 * Reads the text of one SNS message; throws MalformedMessageError naming what is wrong. CloudWatch's alarm messages
 * are the only ones with an AlarmName; everything else is read as a CodePipeline notification.
 */
export function readNotification(message: string): Notification {
  const parsed = jsonObjectIn(message);
  return "AlarmName" in parsed ? alarmNotificationFrom(parsed) : pipelineNotificationFrom(parsed);
}
