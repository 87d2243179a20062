import { Project } from "@pulumi/aws/codebuild/project";
import { validateResourceOfType, type ResourceValidationPolicy } from "@pulumi/policy";
import { allowedNamesConfigSchema, readConfig, type AllowedNamesConfig } from "../config";
import { eachElement, unknownDuringPreview, whenKnown } from "../preview";
import { secretCarriedBy } from "../secret-detection";

export const codebuildNoPlaintextSecret: ResourceValidationPolicy = {
  name: "codebuild-no-plaintext-secret",
  description: "No CodeBuild PLAINTEXT environment variable carries a secret (see policies/secret-detection.ts); secrets come as PARAMETER_STORE or SECRETS_MANAGER variables.",
  enforcementLevel: "mandatory",
  configSchema: allowedNamesConfigSchema,
  validateResource: validateResourceOfType(Project, (project, args, reportViolation) => {
    const { allowedNames } = readConfig<AllowedNamesConfig>(allowedNamesConfigSchema, args);
    const variables = whenKnown(() => project.environment?.environmentVariables ?? []);
    if (variables === unknownDuringPreview) return;
    for (const variable of eachElement(variables)) {
      if (variable === unknownDuringPreview) continue;
      const name = whenKnown(() => variable.name);
      const type = whenKnown(() => variable.type ?? "PLAINTEXT");
      if (name === unknownDuringPreview || type !== "PLAINTEXT" || allowedNames.includes(name)) continue;
      const value = whenKnown(() => variable.value);
      const reason = secretCarriedBy(name, value === unknownDuringPreview ? undefined : value);
      if (reason) reportViolation(`environment variable ${name} is PLAINTEXT but ${reason}: make it a PARAMETER_STORE or SECRETS_MANAGER variable whose value names the parameter or secret.`);
    }
  }),
};
