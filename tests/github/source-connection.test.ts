import { strict as assert } from "node:assert";
import { connectionName } from "../../components/github/source-connection";
import {
  childrenOf,
  programRun,
  resourcesOfType,
  stackRegion,
  theResource,
} from "../support/harness";
import { reveal, type ProgramRun } from "../../tooling/mocks/program-run";

const connectionType = "aws:codestarconnections/connection:Connection";

interface SourceAction {
  readonly name: string;
  readonly provider: string;
  readonly configuration: Record<string, string>;
}

/** The pipeline's Source action and its V2 triggers. */
function pipelineSource(run: ProgramRun) {
  const pipeline = theResource(run, "aws:codepipeline/pipeline:Pipeline");
  const [stage] = reveal(pipeline.inputs.stages) as Array<{ actions: SourceAction[] }>;
  return { action: stage.actions[0], triggers: reveal(pipeline.inputs.triggers) };
}
const filePaths = ["src/**", "lambdas/**", "package-lock.json"];
const branches = { dev: "main", production: "production" } as Record<string, string>;
const existingArn =
  "arn:aws:codeconnections:us-east-1:123456789012:connection/0a1b2c3d-4e5f-6789-abcd-ef0123456789";

for (const stack of ["dev", "production"]) {
  describe(`the ${stack} stack with a CodeStar connection it creates`, () => {
    let run: ProgramRun;
    before(async () => {
      run = await programRun(stack, {
        "pipelines:sourceKind": "connection",
        "pipelines:sourceFilePaths": filePaths,
      });
    });

    it("creates a GitHub connection, left PENDING by AWS, and outputs its ARN and status", () => {
      const component = theResource(run, "pipelines:github:SourceConnection");
      const [connection, ...others] = childrenOf(run, component);
      assert.deepEqual(others, []);
      assert.equal(connection.type, connectionType);
      assert.equal(connection.inputs.providerType, "GitHub");
      assert.equal(connection.inputs.name, `pipelines-${stack}`);
      assert.equal(
        run.outputs.connectionArn,
        `arn:aws:codestar-connections:${stackRegion(stack)}:123456789012:connection/pipelines-${stack}`,
      );
      assert.equal(run.outputs.connectionStatus, "PENDING");
    });

    it("reads the source through the connection, started by pushes to the branch that touch the configured paths", () => {
      const { action, triggers } = pipelineSource(run);
      assert.equal(action.provider, "CodeStarSourceConnection");
      assert.equal(action.configuration.ConnectionArn, run.outputs.connectionArn);
      assert.deepEqual(triggers, [
        {
          providerType: "CodeStarSourceConnection",
          gitConfiguration: {
            sourceActionName: action.name,
            pushes: [
              { branches: { includes: [branches[stack]] }, filePaths: { includes: filePaths } },
            ],
          },
        },
      ]);
    });

    it("creates no push webhook: the connection delivers the pushes", () => {
      assert.deepEqual(resourcesOfType(run, "pipelines:github:Webhooks"), []);
      assert.deepEqual(resourcesOfType(run, "aws:codepipeline/webhook:Webhook"), []);
      assert.deepEqual(
        resourcesOfType(run, "github:index/repositoryWebhook:RepositoryWebhook"),
        [],
      );
    });
  });
}

describe("a stack with an existing CodeStar connection", () => {
  let run: ProgramRun;
  before(async () => {
    run = await programRun("dev", {
      "pipelines:sourceKind": "connection",
      "pipelines:connectionArn": existingArn,
    });
  });

  it("creates no connection and outputs the configured ARN, with no status to report", () => {
    assert.deepEqual(resourcesOfType(run, connectionType), []);
    assert.equal(run.outputs.connectionArn, existingArn);
    assert.equal(run.outputs.connectionStatus, undefined);
  });

  it("gives the pipeline the configured connection, started by every push to the branch when no paths are set", () => {
    const { action, triggers } = pipelineSource(run);
    assert.equal(action.configuration.ConnectionArn, existingArn);
    assert.deepEqual(triggers, [
      {
        providerType: "CodeStarSourceConnection",
        gitConfiguration: {
          sourceActionName: action.name,
          pushes: [{ branches: { includes: ["main"] } }],
        },
      },
    ]);
  });
});

describe("the connection's name", () => {
  it("names project and stack, within AWS's 32 characters", () => {
    assert.equal(connectionName("pipelines", "dev"), "pipelines-dev");
    assert.equal(connectionName("pipelines", "a-very-long-feature-stack-name").length, 32);
  });
});
