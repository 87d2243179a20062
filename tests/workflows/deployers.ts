/** Who deploys each stack, read from its stack file and from the workflows: exactly one, and the one the file names. */

/** What a stack file says about deploying it. */
export interface StackDeployer {
  readonly stack: string;
  /** `pipelines:deployer`, or Pulumi.yaml's default. */
  readonly deployer: string;
}

/** A workflow job that runs `pulumi up` on a stack. */
export interface WorkflowUp {
  readonly file: string;
  readonly stack: string;
}

const knownDeployers = ["pipeline", "github-actions"];

/**
 * One line per stack that has two deployers, none, or a workflow its stack file does not name. The pipeline's Deploy
 * stage is the deployer of a `pipeline` stack (the settings refuse such a stack without that stage); a workflow that
 * runs `pulumi up` on it is a second one.
 */
export function deployerProblems(
  stacks: readonly StackDeployer[],
  ups: readonly WorkflowUp[],
): string[] {
  const problems: string[] = [];
  for (const { stack, deployer } of stacks) {
    const workflows = ups.filter((up) => up.stack === stack).map((up) => up.file);
    if (!knownDeployers.includes(deployer)) {
      problems.push(
        `Pulumi.${stack}.yaml: pipelines:deployer "${deployer}" is not a deployer; allowed: ${knownDeployers.join(", ")}`,
      );
    } else if (deployer === "pipeline" && workflows.length > 0) {
      problems.push(
        `${stack} has two deployers: Pulumi.${stack}.yaml names the pipeline's Deploy stage, and ${workflows.join(", ")} runs pulumi up on it; delete the workflow or set pipelines:deployer: github-actions (and drop the "deploy" stage)`,
      );
    } else if (deployer === "github-actions" && workflows.length === 0) {
      problems.push(
        `${stack} has no deployer: Pulumi.${stack}.yaml names GitHub Actions, but no workflow runs pulumi up on it; copy .github/workflow-templates/deploy-stack.yml to .github/workflows/deploy-${stack}.yml`,
      );
    } else if (deployer === "github-actions" && workflows.length > 1) {
      problems.push(
        `${stack} has ${workflows.length} deployers: ${workflows.join(", ")} all run pulumi up on it; keep one`,
      );
    }
  }
  for (const up of ups) {
    if (!stacks.some((s) => s.stack === up.stack))
      problems.push(
        `${up.file} runs pulumi up on ${up.stack}, which has no Pulumi.${up.stack}.yaml`,
      );
  }
  return problems;
}
