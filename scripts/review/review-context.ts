/** What every review command needs: the Pulumi CLI, the AWS clients of the stack's region, the real stacks. */
import { readdirSync } from "node:fs";
import { LambdaClient } from "@aws-sdk/client-lambda";
import { ResourceGroupsTaggingAPIClient } from "@aws-sdk/client-resource-groups-tagging-api";
import { reviewStackOf, type ReviewStack } from "../../components/review/review-settings";
import { reviewStackName } from "../../components/review/review-stack-name";
import { leftoversOf } from "./leftovers";
import { PulumiCli } from "./pulumi-cli";
import { dropReviewDatabase } from "./review-database";
import type { TeardownSteps } from "./teardown";

export interface ReviewContext {
  readonly pulumi: PulumiCli;
  readonly lambda: LambdaClient;
  readonly tagging: ResourceGroupsTaggingAPIClient;
  /** Folder of the program (the default branch's checkout), whose stack files name the real stacks. */
  readonly projectDirectory: string;
  /** Leftover check: attempts and the pause between them. */
  readonly leftoverAttempts?: number;
  readonly leftoverDelayMs?: number;
}

/** The default context: the CLI on PATH, SDK clients with the region and credentials of the environment. */
export function defaultContext(env: NodeJS.ProcessEnv): ReviewContext {
  const region = env.AWS_REGION ?? env.AWS_DEFAULT_REGION;
  if (!region)
    throw new Error("AWS_REGION is not set: the review stack's region (CodeBuild sets it)");
  return {
    pulumi: new PulumiCli({ echo: (text) => process.stdout.write(text) }),
    lambda: new LambdaClient({ region }),
    tagging: new ResourceGroupsTaggingAPIClient({ region }),
    projectDirectory: process.cwd(),
  };
}

/** Stacks with a `Pulumi.<stack>.yaml` in the project: the real environments. */
export function realStacks(projectDirectory: string): string[] {
  return readdirSync(projectDirectory)
    .map((file) => /^Pulumi\.(.+)\.ya?ml$/.exec(file)?.[1])
    .filter((stack): stack is string => stack !== undefined);
}

/** The review stack of a pull request, refusing one that would take a real stack's name. */
export function reviewOf(
  context: ReviewContext,
  pullRequest: string | number,
  baseStack: string,
): ReviewStack {
  return reviewStackOf(
    reviewStackName(pullRequest, realStacks(context.projectDirectory)),
    baseStack,
  );
}

/** The teardown's steps wired to the CLI and the AWS APIs; the base stack's migrate function drops the database. */
export function teardownSteps(context: ReviewContext, baseStack: string): TeardownSteps {
  return {
    pulumi: context.pulumi,
    dropDatabase: async (review) => {
      const names = (await context.pulumi.output(baseStack, "functionNames")) as
        { migrate?: string } | undefined;
      if (!names?.migrate)
        throw new Error(
          `stack ${baseStack} has no functionNames.migrate output, so nothing can reach its database instance`,
        );
      await dropReviewDatabase(context.lambda, names.migrate, review);
    },
    leftovers: (stack) =>
      leftoversOf({
        client: context.tagging,
        stack,
        attempts: context.leftoverAttempts,
        delayMs: context.leftoverDelayMs,
      }),
  };
}
