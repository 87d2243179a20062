import { strict as assert } from "node:assert";
import { Signer } from "@aws-sdk/rds-signer";
import {
  cachedAuthToken,
  credentialsFromEnvironment,
  signAuthToken,
  tokenRefreshSeconds,
} from "../../lambdas/cupping/iam-token";

const target = {
  hostname: "cupping.abc123.eu-west-1.rds.amazonaws.com",
  port: 5432,
  region: "eu-west-1",
  username: "cupping_api",
};
const credentials = {
  accessKeyId: "ASIAEXAMPLEKEYID0001",
  secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
  sessionToken: "IQoJb3JpZ2luX2VjE/session+token=",
};

/** The signing time inside a token, as a Date. */
const signedAt = (token: string) => {
  const [, y, mo, d, h, mi, s] = /X-Amz-Date=(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)Z/.exec(token)!;
  return new Date(`${y}-${mo}-${d}T${h}:${mi}:${s}Z`);
};

describe("cupping service: IAM database authentication tokens", () => {
  for (const [what, signWith] of [
    ["with a session token (a Lambda role)", credentials],
    [
      "with long-term keys",
      { accessKeyId: credentials.accessKeyId, secretAccessKey: credentials.secretAccessKey },
    ],
  ] as const) {
    it(`signs the same token as @aws-sdk/rds-signer, ${what}`, async () => {
      const expected = await new Signer({ ...target, credentials: signWith }).getAuthToken();
      assert.equal(signAuthToken(target, signWith, signedAt(expected)), expected);
    });
  }

  it("signs a different token for another user, host or moment (a token for the application role is no token for the master user)", () => {
    const now = new Date("2026-12-01T10:00:00Z");
    const token = signAuthToken(target, credentials, now);
    assert.notEqual(
      signAuthToken({ ...target, username: "cupping_admin" }, credentials, now),
      token,
    );
    assert.notEqual(
      signAuthToken(
        { ...target, hostname: "other.abc123.eu-west-1.rds.amazonaws.com" },
        credentials,
        now,
      ),
      token,
    );
    assert.notEqual(signAuthToken(target, credentials, new Date(now.getTime() + 1000)), token);
    assert.ok(
      token.startsWith(`${target.hostname}:5432/?Action=connect&DBUser=cupping_api&`) &&
        token.includes("X-Amz-Expires=900"),
    );
  });

  it("signs once and reuses the token until it is ten minutes old, well inside its 15 minutes", async () => {
    let now = new Date("2026-12-01T10:00:00Z");
    const signed: Date[] = [];
    const token = cachedAuthToken(
      (at) => (signed.push(at), signAuthToken(target, credentials, at)),
      () => now,
    );
    const first = await token();
    for (let i = 0; i < 50; i += 1) assert.equal(await token(), first);
    now = new Date(now.getTime() + tokenRefreshSeconds * 1000 - 1);
    assert.equal(await token(), first);
    now = new Date(now.getTime() + 1);
    const second = await token();
    assert.notEqual(second, first);
    assert.deepEqual(
      signed.map((at) => at.toISOString()),
      ["2026-12-01T10:00:00.000Z", "2026-12-01T10:10:00.000Z"],
    );
  });

  it("reads the function role's credentials from Lambda's variables, and names them when they are missing", () => {
    assert.deepEqual(
      credentialsFromEnvironment({
        AWS_ACCESS_KEY_ID: "a",
        AWS_SECRET_ACCESS_KEY: "s",
        AWS_SESSION_TOKEN: "t",
      }),
      { accessKeyId: "a", secretAccessKey: "s", sessionToken: "t" },
    );
    assert.throws(
      () => credentialsFromEnvironment({ AWS_ACCESS_KEY_ID: "a" }),
      /AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set/,
    );
  });
});
