import { strict as assert } from "node:assert";
import { plainStrings, resourcesOfType, programRun, theResource } from "../support/harness";
import { reveal, type ProgramRun } from "../../tooling/mocks/program-run";
import { capturedStages, identityStatements, pipelineResources } from "./captured";

const connectionArn =
  "arn:aws:codeconnections:us-east-1:123456789012:connection/0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0";

/** Cases of stages switched off in a stack file, against the stack as it is. */
const switchedOff: ReadonlyArray<{
  readonly stack: string;
  readonly stages: readonly string[];
  readonly off: readonly string[];
}> = [
  { stack: "dev", stages: ["deploy"], off: ["test"] },
  { stack: "production", stages: ["test", "deploy"], off: ["approval", "publish"] },
];

describe("pipeline stages switched off and on under mocks", () => {
  const full: Record<string, ProgramRun> = {};
  const reduced: Record<string, ProgramRun> = {};
  before(async () => {
    for (const { stack, stages } of switchedOff) {
      full[stack] = await programRun(stack);
      reduced[stack] = await programRun(stack, { "pipelines:stages": stages });
    }
  });

  for (const { stack, off } of switchedOff) {
    it(`${stack} without ${off.join(" and ")}: no resource of those stages is left, and nothing else changes`, () => {
      const urns = (run: ProgramRun) =>
        pipelineResources(run)
          .map((r) => r.urn)
          .sort();
      const ofStage = (name: string) => off.some((stage) => name.startsWith(`pipeline-${stage}`));
      const removed = pipelineResources(full[stack]).filter((r) => ofStage(r.name));
      assert.ok(removed.length >= 4, `the ${off.join(", ")} stages have resources when on`);
      assert.deepEqual(
        urns(reduced[stack]),
        urns(full[stack]).filter((urn) => !removed.some((r) => r.urn === urn)),
      );
      assert.deepEqual(
        capturedStages(reduced[stack])
          .map((s) => s.name.toLowerCase())
          .filter((s) => off.includes(s)),
        [],
      );
    });

    it(`${stack} without ${off.join(" and ")}: nothing left refers to them`, () => {
      const names = off.flatMap((stage) => [
        `pipeline-${stage}`,
        `cupping-service-${stack}-${stage}`,
      ]);
      const references = reduced[stack].resources.flatMap((r) =>
        plainStrings(reveal(r.inputs))
          .filter(({ text }) => names.some((n) => text.includes(n)))
          .map(({ path }) => `${r.name}: ${path}`),
      );
      assert.deepEqual(references, []);
    });
  }
});

describe("the pipeline with a CodeStar connection source and a buildspec file under mocks", () => {
  let run: ProgramRun;
  before(async () => {
    run = await programRun("dev", {
      "pipelines:sourceKind": "connection",
      "pipelines:connectionArn": connectionArn,
      "pipelines:sourceFilePaths": ["lambdas/**"],
      "pipelines:testBuildspec": "ci/integration.yml",
    });
  });

  it("runs the Test stage from the repository's buildspec file, the others from generated ones", () => {
    const buildspecs = Object.fromEntries(
      resourcesOfType(run, "aws:codebuild/project:Project")
        .filter((p) => p.name.startsWith("pipeline-"))
        .map((p) => [
          p.name,
          String(reveal((p.inputs.source as { buildspec: unknown }).buildspec)),
        ]),
    );
    assert.equal(buildspecs["pipeline-test-project"], "ci/integration.yml");
    assert.match(buildspecs["pipeline-build-project"], /^version: 0\.2\n/);
  });

  it("reads the source through the connection, started by a V2 trigger on the branch and paths", () => {
    const pipeline = theResource(run, "aws:codepipeline/pipeline:Pipeline");
    assert.equal(capturedStages(run)[0].actions[0].configuration.ConnectionArn, connectionArn);
    assert.deepEqual(reveal(pipeline.inputs.triggers), [
      {
        providerType: "CodeStarSourceConnection",
        gitConfiguration: {
          sourceActionName: "Source",
          pushes: [{ branches: { includes: ["main"] }, filePaths: { includes: ["lambdas/**"] } }],
        },
      },
    ]);
  });

  it("lets the pipeline role use that connection only, and the projects read the repository through it", () => {
    const statements = identityStatements(
      theResource(run, "aws:iam/rolePolicy:RolePolicy", "pipeline-role-policy"),
    ).map((s) => s.statement);
    assert.deepEqual(statements.find((s) => s.Sid === "UseSourceConnection")?.Resource, [
      connectionArn,
    ]);
    const ours = pipelineResources(run);
    for (const project of resourcesOfType(run, "aws:codebuild/project:Project").filter((p) =>
      ours.includes(p),
    )) {
      assert.deepEqual(
        reveal((project.inputs.source as { auth: unknown }).auth),
        { type: "CODECONNECTIONS", resource: connectionArn },
        project.name,
      );
    }
    assert.deepEqual(
      ours.filter((r) => r.type === "pipelines:cicd:RepositoryCredential"),
      [],
      "no GitHub token secret of the pipeline's own",
    );
  });
});
