import { strict as assert } from "node:assert";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { pipelineMermaid } from "../components/pipeline/mermaid";
import { planOf } from "../scripts/plan/model";
import { programRun } from "./support/harness";
import { projectRoot } from "../tooling/mocks/stack-config";

const readme = readFileSync(path.join(projectRoot, "README.md"), "utf8");

/** The Mermaid block that follows `<!-- mermaid:<stack> -->` in the README. */
function readmeDiagram(stack: string): string | undefined {
  const match = new RegExp(`<!-- mermaid:${stack} -->\\n\`\`\`mermaid\\n([\\s\\S]*?)\`\`\``).exec(
    readme,
  );
  return match?.[1];
}

describe("README", () => {
  for (const stack of ["dev", "production"]) {
    it(`shows the ${stack} pipeline exactly as the plan prints it`, async () => {
      const printed = pipelineMermaid(planOf(await programRun(stack)).stages);
      assert.equal(
        readmeDiagram(stack),
        printed,
        `regenerate it with: npm run plan -- ${stack} --mermaid`,
      );
    });
  }

  it("starts with the command that runs the offline plan and the one that runs the tests", () => {
    const firstBlock = /```sh\n([\s\S]*?)```/.exec(readme)?.[1] ?? "";
    assert.match(firstBlock, /^npm ci && npm run plan -- dev/m);
    assert.match(firstBlock, /^npm ci && npm test/m);
  });
});
