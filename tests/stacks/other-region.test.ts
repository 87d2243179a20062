import { strict as assert } from "node:assert";
import { plainStrings, programRun, stackRegion } from "../support/harness";
import { reveal, type ProgramRun } from "../../tooling/mocks/program-run";
import { stackNames } from "../../tooling/mocks/stack-config";

// Nothing in the program assumes its stack's region: moved to another one, every region-bearing name follows.

/** Every plain string of the run's resource inputs and outputs, secrets revealed, with where it was found. */
function everyString(run: ProgramRun): Array<{ where: string; text: string }> {
  return [
    ...run.resources.flatMap((r) =>
      plainStrings(reveal(r.inputs)).map((s) => ({ where: `${r.urn} ${s.path}`, text: s.text })),
    ),
    ...plainStrings(reveal(run.outputs)).map((s) => ({ where: `output ${s.path}`, text: s.text })),
  ];
}

for (const stack of stackNames) {
  const home = stackRegion(stack);
  const elsewhere = home === "eu-west-1" ? "eu-central-1" : "eu-west-1";

  describe(`the ${stack} stack moved from ${home} to ${elsewhere}`, () => {
    let run: ProgramRun;
    before(async () => {
      run = await programRun(stack, { "aws:region": elsewhere });
    });

    it("builds its whole graph", () => {
      assert.equal(run.outputs.environment, stack);
      assert.equal(run.engineConfig.config["aws:region"], elsewhere);
    });

    it(`names ${home} nowhere in a resource input or an output`, () => {
      assert.deepEqual(
        everyString(run).filter((s) => s.text.includes(home)),
        [],
      );
    });

    it(`puts ${elsewhere} in every regional ARN the program builds`, () => {
      const arns = everyString(run).flatMap((s) =>
        [...s.text.matchAll(/arn:aws:[a-z0-9-]+:([a-z0-9-]*):\d{12}:/g)].map((m) => ({
          ...s,
          region: m[1],
        })),
      );
      assert.ok(
        arns.some((a) => a.region === elsewhere),
        "the program builds regional ARNs",
      );
      assert.deepEqual(
        arns.filter((a) => a.region !== "" && a.region !== elsewhere),
        [],
      );
    });

    it(`links the pipeline's console page and the API in ${elsewhere}`, () => {
      assert.match(
        String(run.outputs.pipelineUrl),
        new RegExp(
          `^https://${elsewhere}\\.console\\.aws\\.amazon\\.com/.*\\?region=${elsewhere}$`,
        ),
      );
      assert.match(
        String(run.outputs.apiUrl),
        new RegExp(`\\.execute-api\\.${elsewhere}\\.amazonaws\\.com/$`),
      );
    });
  });
}
