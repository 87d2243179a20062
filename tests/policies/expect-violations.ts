import * as assert from "node:assert/strict";
import { describeViolations, type PolicyReport } from "../support/policy";

/** Fails unless the run found no violation at all. */
export function expectNoViolations(report: PolicyReport): void {
  assert.equal(
    report.violations.length,
    0,
    `expected no violations, found:\n${describeViolations(report.violations)}`,
  );
}

/**
 * Fails unless every violation is of `policyName`, on `urn`, and each expected fragment appears in one of their
 * messages: the bad resource breaks this rule and no other.
 */
export function expectOnlyViolationsOf(
  report: PolicyReport,
  policyName: string,
  urn: string | undefined,
  ...fragments: string[]
): void {
  const found = describeViolations(report.violations);
  assert.ok(report.violations.length > 0, `expected a violation of ${policyName}, found none`);
  for (const violation of report.violations) {
    assert.equal(
      violation.policyName,
      policyName,
      `expected only violations of ${policyName}, found:\n${found}`,
    );
    assert.equal(
      violation.urn,
      urn,
      `expected violations on ${urn ?? "the stack"}, found:\n${found}`,
    );
    assert.equal(
      violation.enforcementLevel,
      "mandatory",
      `expected ${policyName} to be mandatory, found:\n${found}`,
    );
  }
  for (const fragment of fragments)
    assert.ok(
      report.violations.some((violation) => violation.message.includes(fragment)),
      `expected a message with "${fragment}", found:\n${found}`,
    );
}
