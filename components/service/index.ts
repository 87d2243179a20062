export {
  CuppingService,
  migrationTimeoutSeconds,
  type CuppingServiceArgs,
  type SharedDatabase,
} from "./cupping-service";
export {
  serviceAlarmKeys,
  serviceAlarmName,
  serviceAlarms,
  type AlarmDefinition,
  type AlarmTargets,
} from "./alarms";
export { cuppingRoutes } from "./routes";
export { postgres } from "./postgres";
