import { policyDocument, type PolicyDocument } from "./policy-document";

/** A role only this AWS service (codebuild.amazonaws.com, lambda.amazonaws.com, ...) may take. */
export function assumeRolePolicy(service: string): PolicyDocument {
  return policyDocument([
    { Effect: "Allow", Principal: { Service: service }, Action: ["sts:AssumeRole"] },
  ]);
}
