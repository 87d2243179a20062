import { policyDocument, type PolicyDocument } from "./policy-document";

/** A role only this AWS service (codebuild.amazonaws.com, lambda.amazonaws.com, ...) may take. */
export function assumeRolePolicy(service: string): PolicyDocument {
  return policyDocument([
    { Effect: "Allow", Principal: { Service: service }, Action: ["sts:AssumeRole"] },
  ]);
}

/**
 * A role the tokens of one OIDC provider may take, only when every claim equals its value exactly (StringEquals: no
 * wildcard widens it), e.g. `{ "token.actions.githubusercontent.com:sub": "repo:o/r:pull_request" }`.
 */
export function webIdentityAssumeRolePolicy(
  providerArn: string,
  claims: Readonly<Record<string, string>>,
): PolicyDocument {
  return policyDocument([
    {
      Effect: "Allow",
      Principal: { Federated: providerArn },
      Action: ["sts:AssumeRoleWithWebIdentity"],
      Condition: { StringEquals: claims },
    },
  ]);
}
