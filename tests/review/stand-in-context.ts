import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { LambdaClient } from "@aws-sdk/client-lambda";
import { ResourceGroupsTaggingAPIClient } from "@aws-sdk/client-resource-groups-tagging-api";
import { PulumiCli } from "../../scripts/review/pulumi-cli";
import type { ReviewContext } from "../../scripts/review/review-context";

const credentials = { accessKeyId: "AKIDTEST", secretAccessKey: "secret" };

/** A checkout holding the stack files of dev and production (and any other stack named). */
export function projectWithStacks(...stacks: string[]): string {
  const project = mkdtempSync(path.join(tmpdir(), "review-project-"));
  for (const stack of ["dev", "production", ...stacks])
    writeFileSync(path.join(project, `Pulumi.${stack}.yaml`), "config: {}\n");
  return project;
}

/** The review commands' context pointed at stand-ins: a pulumi executable and AWS APIs on 127.0.0.1, no waiting. */
export function standInContext(p: {
  pulumiCommand: string;
  lambdaOrigin: string;
  taggingOrigin: string;
  leftoverAttempts: number;
}): ReviewContext {
  return {
    pulumi: new PulumiCli({ command: p.pulumiCommand, lockDelayMs: 0, lockAttempts: 3 }),
    lambda: new LambdaClient({
      region: "us-east-1",
      endpoint: p.lambdaOrigin,
      credentials,
      maxAttempts: 1,
    }),
    tagging: new ResourceGroupsTaggingAPIClient({
      region: "us-east-1",
      endpoint: p.taggingOrigin,
      credentials,
      maxAttempts: 1,
    }),
    projectDirectory: projectWithStacks(),
    leftoverAttempts: p.leftoverAttempts,
    leftoverDelayMs: 0,
  };
}
