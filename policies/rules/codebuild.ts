import { Project } from "@pulumi/aws/codebuild/project";
import { validateResourceOfType, type ResourceValidationPolicy } from "@pulumi/policy";
import { allowedNamesConfigSchema, readConfig, type AllowedNamesConfig } from "../config";
import { eachElement, unknownDuringPreview, whenKnown } from "../preview";
import { secretCarriedBy } from "../secret-detection";
import { didYouMean } from "../../stacks/unknown-keys";
import { npmScriptCalls, projectScripts } from "../npm-scripts";

export const codebuildNoPlaintextSecret: ResourceValidationPolicy = {
  name: "codebuild-no-plaintext-secret",
  description:
    "No CodeBuild PLAINTEXT environment variable carries a secret (see policies/secret-detection.ts); secrets come as PARAMETER_STORE or SECRETS_MANAGER variables.",
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
      if (name === unknownDuringPreview || type !== "PLAINTEXT" || allowedNames.includes(name))
        continue;
      const value = whenKnown(() => variable.value);
      const reason = secretCarriedBy(name, value === unknownDuringPreview ? undefined : value);
      if (reason)
        reportViolation(
          `environment variable ${name} is PLAINTEXT but ${reason}: make it a PARAMETER_STORE or SECRETS_MANAGER variable whose value names the parameter or secret.`,
        );
    }
  }),
};

export const codebuildNpmScriptsExist: ResourceValidationPolicy = {
  name: "codebuild-npm-scripts-exist",
  description:
    "Every `npm run <script>` in a CodeBuild project's inline buildspec names a script of the project's package.json, so a renamed or mistyped script fails here instead of in the build.",
  enforcementLevel: "mandatory",
  validateResource: validateResourceOfType(Project, (project, _args, reportViolation) => {
    const buildspec = whenKnown(() => project.source.buildspec);
    if (typeof buildspec !== "string") return;
    for (const call of npmScriptCalls(buildspec)) {
      if (projectScripts.includes(call.script)) continue;
      const nearest = didYouMean(call.script, projectScripts);
      reportViolation(
        `buildspec phase ${call.phase} runs "${call.command}", but package.json has no script "${call.script}"${nearest ? `; did you mean ${nearest}?` : ""} (scripts: ${projectScripts.join(", ")})`,
      );
    }
  }),
};
