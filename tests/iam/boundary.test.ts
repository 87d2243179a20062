import { strict as assert } from "node:assert";
import {
  boundaryArn,
  permissionsBoundaryPolicy,
  roleScope,
  scopeTagKey,
  type PolicyDocument,
} from "../../components/iam";
import { decide } from "../support/iam-evaluator";
import { mockAccountId } from "../../tooling/mocks/invokes";

const account = { partition: "aws", region: "eu-west-1", accountId: mockAccountId };
const everything: PolicyDocument = {
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Action: ["*"], Resource: ["*"] }],
};

describe("the permissions boundary module", () => {
  it("places a stack's roles under /<project>/<stack>/ and its admin-held roles and boundary under /<project>-admin/<stack>/", () => {
    const scope = roleScope({ project: "pipelines", name: "dev" });
    assert.deepEqual(scope, {
      name: "pipelines-dev",
      rolePath: "/pipelines/dev/",
      adminPath: "/pipelines-admin/dev/",
      resourceNamePrefix: undefined,
    });
    assert.equal(
      boundaryArn(scope, account),
      `arn:aws:iam::${mockAccountId}:policy/pipelines-admin/dev/pipelines-dev-boundary`,
    );
    assert.throws(
      () => roleScope({ project: "pipelines", name: "dev/../prod" }),
      /"dev\/\.\.\/prod" cannot be part of an IAM path/,
    );
  });

  it("confines a role of another scope, made in one call, to resources named with its prefix", async () => {
    const review = roleScope({
      project: "pipelines",
      name: "review",
      resourceNamePrefix: "review-",
    });
    const role = {
      arn: `arn:aws:iam::${mockAccountId}:role${review.rolePath}review-deployer`,
      identity: [{ name: "everything", document: everything }],
      boundary: { name: "review-boundary", document: permissionsBoundaryPolicy(review, account) },
    };
    const fn = (name: string) => `arn:aws:lambda:eu-west-1:${mockAccountId}:function:${name}`;
    assert.equal(
      await decide(role, { action: "lambda:UpdateFunctionCode", resource: fn("review-pr-7-api") }),
      "Allowed",
    );
    assert.equal(
      await decide(role, { action: "lambda:UpdateFunctionCode", resource: fn("cupping-api") }),
      "ImplicitlyDenied",
    );
    assert.equal(
      await decide(role, {
        action: "s3:PutObject",
        resource: "arn:aws:s3:::review-pr-7-artifacts/x",
        context: { "aws:ResourceAccount": mockAccountId },
      }),
      "Allowed",
    );
    assert.equal(
      await decide(role, {
        action: "s3:PutObject",
        resource: "arn:aws:s3:::acme-coffee-pulumi-state/x",
        context: { "aws:ResourceAccount": mockAccountId },
      }),
      "ImplicitlyDenied",
    );
    const productionSecret = {
      action: "secretsmanager:GetSecretValue",
      resource: `arn:aws:secretsmanager:eu-west-1:${mockAccountId}:secret:review-looking-AbCdEf`,
      context: { [`aws:ResourceTag/${scopeTagKey}`]: "pipelines-production" },
    };
    assert.equal(
      await decide(role, productionSecret),
      "ExplicitlyDenied",
      "a secret named for review but tagged for production stays production's",
    );
  });
});
