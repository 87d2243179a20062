import { PolicyPack } from "@pulumi/policy";
import { rules } from "./rules";

// The only place the pack is constructed: constructing it starts the policy server the Pulumi CLI talks to.
new PolicyPack("cupping-pipelines", {
  description: "Security and reliability rules for the cupping-log pipelines and service stacks.",
  enforcementLevel: "mandatory",
  policies: rules,
});
