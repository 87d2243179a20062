import { strict as assert } from "node:assert";
import { scopeTagProblems } from "../../stacks/scope-tag";
import { loadStackConfig, stackNames } from "../../tooling/mocks/stack-config";

const problemsWith = (raw: string | undefined) =>
  scopeTagProblems(
    { get: (key) => (key === "aws:defaultTags" ? raw : undefined) },
    "pipelines",
    "staging",
  );

describe("the stack's scope tag", () => {
  for (const stack of stackNames) {
    it(`is on every resource of ${stack} through the AWS provider's default tags`, () => {
      const engine = loadStackConfig(stack);
      assert.deepEqual(
        scopeTagProblems({ get: (key) => engine.config[key] }, engine.project, stack),
        [],
      );
    });
  }

  it("is refused when missing, naming the key, the tag and what to add", () => {
    const [problem] = problemsWith(undefined);
    assert.match(
      problem,
      /^aws:defaultTags: must tag every resource with pipelines:scope: pipelines-staging \(got no such tag\)/,
    );
    assert.match(
      problem,
      /add to Pulumi\.staging\.yaml:\n {2}aws:defaultTags:\n {4}tags:\n {6}pipelines:scope: pipelines-staging$/,
    );
  });

  it("is refused when it names another stack's scope, which would hand this stack's secrets to that stack's deployer", () => {
    assert.match(
      problemsWith(JSON.stringify({ tags: { "pipelines:scope": "pipelines-production" } }))[0],
      /\(got "pipelines-production"\)/,
    );
    assert.deepEqual(
      problemsWith(
        JSON.stringify({ tags: { "pipelines:scope": "pipelines-staging", team: "coffee" } }),
      ),
      [],
    );
  });
});
