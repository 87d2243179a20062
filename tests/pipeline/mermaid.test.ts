import { strict as assert } from "node:assert";
import { pipelineMermaid } from "../../components/pipeline/mermaid";
import { stagePlan } from "../../components/pipeline/plan";
import { settingsOf } from "./settings-fixture";

describe("the pipeline as a Mermaid flowchart", () => {
  it("draws stages as boxes in order, actions in run order, and the artifacts between actions", () => {
    const diagram = pipelineMermaid([
      {
        name: "Source",
        actions: [{ name: "Source", provider: "GitHub", outputArtifacts: ["Code"] }],
      },
      {
        name: "Build & Test",
        actions: [
          {
            name: "Package",
            provider: "CodeBuild",
            runOrder: 2,
            inputArtifacts: ["Code", "Units"],
          },
          {
            name: "Unit",
            provider: "CodeBuild",
            runOrder: 1,
            inputArtifacts: ["Code"],
            outputArtifacts: ["Units"],
          },
        ],
      },
    ]);
    assert.equal(
      diagram,
      [
        "flowchart LR",
        '  subgraph Source["Source"]',
        '    Source_Source["Source<br/>GitHub"]',
        "  end",
        '  subgraph Build___Test["Build & Test"]',
        '    Build___Test_Unit["Unit<br/>CodeBuild"]',
        '    Build___Test_Package["Package<br/>CodeBuild"]',
        "  end",
        "  Source --> Build___Test",
        "  Source_Source -. Code .-> Build___Test_Unit",
        "  Source_Source -. Code .-> Build___Test_Package",
        "  Build___Test_Unit -. Units .-> Build___Test_Package",
        "",
      ].join("\n"),
    );
  });

  it("shows production's seven stages and the bundles flowing from Build to Publish", () => {
    const diagram = pipelineMermaid(stagePlan(settingsOf("production")).stages);
    assert.match(
      diagram,
      /^ {2}Source --> Build --> Test --> Plan --> Approval --> Deploy --> Publish$/m,
    );
    assert.match(diagram, /^ {2}Build_Build -\. BuildArtifact \.-> Publish_Publish$/m);
    assert.match(diagram, /Approval_ApproveRelease\["ApproveRelease<br\/>Manual"\]/);
  });

  it("shows stage conditions inside their stage, and a rollback edge from a stage that rolls back", () => {
    const plan = stagePlan({
      ...settingsOf("production", {
        "pipelines:approval": "when-risky",
        "pipelines:deployWindow": "* 0-59 9-16 ? * MON-THU UTC",
      }),
      watchedAlarms: ["api-errors"],
    });
    const diagram = pipelineMermaid(plan.stages);
    assert.match(
      diagram,
      /^ {4}Approval_beforeEntry\{\{"before entry: PlanFoundRisk \(VariableCheck\), else SKIP"\}\}$/m,
    );
    assert.match(
      diagram,
      /^ {4}Deploy_beforeEntry\{\{"before entry: DeployWindow \(DeploymentWindow\), else FAIL"\}\}$/m,
    );
    assert.match(
      diagram,
      /^ {4}Deploy_onSuccess\{\{"on success: api-errors \(CloudWatchAlarm\), else ROLLBACK"\}\}$/m,
    );
    assert.match(diagram, /^ {2}Deploy -\. rollback on failure or on alarm \.-> Deploy_rollback$/m);
    assert.match(
      diagram,
      /^ {2}Deploy_rollback\(\["Deploy again with the last successful run's artifacts"\]\)$/m,
    );
    assert.ok(!/Publish -\. rollback/.test(diagram), "only Deploy rolls back");
  });
});
