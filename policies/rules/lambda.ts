import { Function as LambdaFunction } from "@pulumi/aws/lambda/function";
import { validateResourceOfType, type ResourceValidationPolicy } from "@pulumi/policy";
import { allowedNamesConfigSchema, readConfig, type AllowedNamesConfig } from "../config";
import { didYouMean } from "../../stacks/unknown-keys";
import { offeredRuntimes, retiredRuntimes } from "../lambda-runtimes";
import { unknownDuringPreview, whenKnown } from "../preview";
import { secretCarriedBy } from "../secret-detection";

export const lambdaNoSecretInEnvironment: ResourceValidationPolicy = {
  name: "lambda-no-secret-in-environment",
  description:
    "No Lambda environment variable carries a secret (see policies/secret-detection.ts); functions get a secret's ARN or parameter name and read it at run time.",
  enforcementLevel: "mandatory",
  configSchema: allowedNamesConfigSchema,
  validateResource: validateResourceOfType(LambdaFunction, (lambda, args, reportViolation) => {
    const { allowedNames } = readConfig<AllowedNamesConfig>(allowedNamesConfigSchema, args);
    const variables = whenKnown(() => lambda.environment?.variables ?? {});
    if (variables === unknownDuringPreview) return;
    for (const name of Object.keys(variables)) {
      if (allowedNames.includes(name)) continue;
      const value = whenKnown(() => variables[name]);
      const reason = secretCarriedBy(name, value === unknownDuringPreview ? undefined : value);
      if (reason)
        reportViolation(
          `environment variable ${name} carries a secret: ${reason}. Pass the secret's ARN or parameter name and read it at run time (Secrets Manager or SSM SecureString).`,
        );
    }
  }),
};

export const lambdaRuntimeOffered: ResourceValidationPolicy = {
  name: "lambda-runtime-offered",
  description:
    "Every Lambda function's runtime is one AWS offers for new functions (see policies/lambda-runtimes.ts); a typo or a retired runtime fails here instead of at deploy.",
  enforcementLevel: "mandatory",
  validateResource: validateResourceOfType(LambdaFunction, (lambda, _args, reportViolation) => {
    const runtime = whenKnown(() => lambda.runtime);
    // Container-image functions have no runtime; an unknown one is checked when it is known.
    if (
      runtime === undefined ||
      runtime === unknownDuringPreview ||
      offeredRuntimes.includes(runtime)
    )
      return;
    const nearest = didYouMean(runtime, offeredRuntimes);
    const problem = retiredRuntimes.includes(runtime)
      ? "is retired: AWS no longer creates functions with it"
      : "is not a Lambda runtime";
    reportViolation(
      `runtime "${runtime}" ${problem}${nearest ? `; did you mean ${nearest}?` : ""} (offered: ${offeredRuntimes.join(", ")})`,
    );
  }),
};
