import { strict as assert } from "node:assert";
import { ResourceGroupsTaggingAPIClient } from "@aws-sdk/client-resource-groups-tagging-api";
import { leftoversOf, taggedResources } from "../../scripts/review/leftovers";
import { startTaggingServer, type TaggingServer } from "../support/tagging-server";

const tag = "pipelines:review-stack";
const arn = (n: number, stack = "pr-7") => ({
  arn: `arn:aws:lambda:us-east-1:123456789012:function:${stack}-fn-${n}`,
  tags: { [tag]: stack, Name: `fn-${n}` },
});

describe("the teardown's leftover check (Resource Groups Tagging API)", () => {
  let server: TaggingServer;
  let client: ResourceGroupsTaggingAPIClient;
  beforeEach(async () => {
    server = await startTaggingServer(2);
    client = new ResourceGroupsTaggingAPIClient({
      region: "us-east-1",
      endpoint: server.origin,
      credentials: { accessKeyId: "AKIDTEST", secretAccessKey: "secret" },
      maxAttempts: 1,
    });
  });
  afterEach(async () => {
    client.destroy();
    await server.close();
  });

  it("asks for exactly the stack's tag and follows PaginationToken over every page", async () => {
    server.resources = [
      arn(1),
      arn(2),
      arn(3),
      arn(4),
      arn(5),
      arn(1, "pr-8"),
      { arn: "arn:aws:s3:::dev-bucket", tags: { Name: "dev" } },
    ];
    const found = await taggedResources(client, "pr-7");
    assert.deepEqual(
      found,
      [1, 2, 3, 4, 5].map((n) => arn(n).arn),
    );
    assert.equal(server.calls.length, 3, "five resources at two a page");
    assert.deepEqual(server.calls[0].TagFilters, [{ Key: tag, Values: ["pr-7"] }]);
    assert.deepEqual(
      server.calls.map((c) => c.PaginationToken),
      [undefined, "page-2", "page-4"],
    );
  });

  it("reports what is still tagged after every attempt, and looks again while something is listed", async () => {
    server.resources = [arn(1), arn(2), arn(3)];
    const leftovers = await leftoversOf({ client, stack: "pr-7", attempts: 3, delayMs: 0 });
    assert.deepEqual(leftovers, [arn(1).arn, arn(2).arn, arn(3).arn]);
    assert.equal(server.calls.filter((c) => !c.PaginationToken).length, 3, "three attempts");
  });

  it("finds nothing once the deletions reach the API, without looking again", async () => {
    server.resources = [arn(1, "pr-8")];
    assert.deepEqual(await leftoversOf({ client, stack: "pr-7", attempts: 3, delayMs: 0 }), []);
    assert.equal(server.calls.length, 1);
  });

  it("fails loudly, not with an empty list, when the API refuses", async () => {
    server.resources = [arn(1)];
    server.refuseWith = "AccessDeniedException";
    await assert.rejects(
      leftoversOf({ client, stack: "pr-7", attempts: 1, delayMs: 0 }),
      /refused: AccessDeniedException/,
    );
  });
});
