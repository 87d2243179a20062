import { Stage } from "@pulumi/aws/apigatewayv2/stage";
import { validateResourceOfType, type ResourceValidationPolicy } from "@pulumi/policy";
import { isSetOrUnknown, whenKnown } from "../preview";

/** The settings of a stage block that are neither set nor pending (unknown during preview), as "block.setting". */
function unsetSettings<K extends string>(
  block: string,
  settings: readonly K[],
  read: (setting: K) => unknown,
): string[] {
  return settings
    .filter((setting) => !isSetOrUnknown(whenKnown(() => read(setting))))
    .map((setting) => `${block}.${setting}`);
}

export const apiStageThrottled: ResourceValidationPolicy = {
  name: "api-stage-throttled",
  description: "API Gateway (v2) stages set a default rate and burst limit for their routes.",
  enforcementLevel: "mandatory",
  validateResource: validateResourceOfType(Stage, (stage, _args, reportViolation) => {
    const unset = unsetSettings(
      "defaultRouteSettings",
      ["throttlingRateLimit", "throttlingBurstLimit"],
      (setting) => stage.defaultRouteSettings?.[setting],
    );
    if (unset.length > 0) reportViolation(`API stage must set ${unset.join(" and ")}.`);
  }),
};

export const apiStageAccessLogged: ResourceValidationPolicy = {
  name: "api-stage-access-logged",
  description:
    "API Gateway (v2) stages write access logs (accessLogSettings with a destination and a format).",
  enforcementLevel: "mandatory",
  validateResource: validateResourceOfType(Stage, (stage, _args, reportViolation) => {
    const unset = unsetSettings(
      "accessLogSettings",
      ["destinationArn", "format"],
      (setting) => stage.accessLogSettings?.[setting],
    );
    if (unset.length > 0) reportViolation(`API stage must set ${unset.join(" and ")}.`);
  }),
};
