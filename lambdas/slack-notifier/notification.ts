import { alarmNotificationFrom, type AlarmNotification } from "./alarm-notification";
import { driftNotificationFrom, type DriftNotification } from "./drift-notification";
import { pipelineNotificationFrom, type PipelineNotification } from "./pipeline-notification";
import { jsonObjectIn } from "./sns-message";

/** Something the topic carries that people hear about: a pipeline's run or approval, an alarm's change of state, drift. */
export type Notification = PipelineNotification | AlarmNotification | DriftNotification;

/**
 * Reads the text of one SNS message; throws MalformedMessageError naming what is wrong. CloudWatch's alarm messages
 * are the only ones with an AlarmName, the drift check's the only ones with a driftCheck; everything else is read as a
 * CodePipeline notification.
 */
export function readNotification(message: string): Notification {
  const parsed = jsonObjectIn(message);
  if ("driftCheck" in parsed) return driftNotificationFrom(parsed);
  return "AlarmName" in parsed ? alarmNotificationFrom(parsed) : pipelineNotificationFrom(parsed);
}
