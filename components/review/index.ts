export {
  nextReviewState,
  stacksInUse,
  type ReviewEffect,
  type ReviewEvent,
  type ReviewLimits,
  type ReviewStackStates,
  type ReviewStackState,
} from "./lifecycle";
export {
  reviewSettings,
  reviewStackOf,
  reviewStackTagKey,
  type ReviewStack,
} from "./review-settings";
export {
  isReviewStackName,
  pullRequestOfStack,
  reviewStackName,
  reviewStackPrefix,
} from "./review-stack-name";
export {
  configSetArgs,
  reviewResourcePrefix,
  reviewStackConfig,
  type ConfigSetting,
} from "./review-stack-config";
export { ReviewStacks, type ReviewStacksArgs } from "./review-stacks";
export {
  baseStackReferenceName,
  reviewBaseOutput,
  sharedFromBase,
  type ReviewBase,
  type SharedFromBase,
} from "./review-base";
