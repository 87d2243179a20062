import { LogGroup } from "@pulumi/aws/cloudwatch/logGroup";
import { validateResourceOfType, type ResourceValidationPolicy } from "@pulumi/policy";

export const logGroupRetentionSet: ResourceValidationPolicy = {
  name: "log-group-retention-set",
  description:
    "CloudWatch log groups keep their logs for a set number of days (retentionInDays > 0), not forever.",
  enforcementLevel: "mandatory",
  validateResource: validateResourceOfType(LogGroup, (logGroup, _args, reportViolation) => {
    const days = logGroup.retentionInDays;
    if (days === undefined || days <= 0)
      reportViolation(
        `log group must set retentionInDays to a number of days greater than 0 (it is ${days ?? "unset"}, which keeps logs forever).`,
      );
  }),
};
