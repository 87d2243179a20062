import { Bucket } from "@pulumi/aws/s3/bucket";
import { BucketV2 } from "@pulumi/aws/s3/bucketV2";
import type { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { unknownDuringPreview, whenKnown } from "./preview";

/** A resource class as `isType` takes it (any constructor of a Pulumi resource). */
type ResourceClass = Parameters<PolicyResource["isType"]>[0];

/** A setting's state as one resource shows it. */
export type Verdict =
  | { readonly kind: "satisfied" }
  | { readonly kind: "pending" }
  | { readonly kind: "violated"; readonly problem: string };

export const satisfied: Verdict = { kind: "satisfied" };
/** Not known until the update: the rule gives no violation rather than a false one. */
export const pending: Verdict = { kind: "pending" };
export const violated = (problem: string): Verdict => ({ kind: "violated", problem });

/** A requirement on every S3 bucket, met by a separate settings resource ("companion") or the bucket's own inputs. */
export interface BucketRequirement {
  readonly name: string;
  readonly description: string;
  /** Resource classes that configure this setting for the bucket named by their `bucket` input. */
  readonly companions: readonly ResourceClass[];
  /** The companion's verdict; one that touches a value unknown during preview counts as pending. */
  readonly judgeCompanion: (companion: PolicyResource) => Verdict;
  /**
   * What the bucket's own (deprecated inline) settings say. Only "satisfied" counts: these settings are also outputs
   * the provider fills in, so their absence or an unknown value says nothing while a companion may set them.
   */
  readonly judgeBucket?: (bucket: PolicyResource) => Verdict;
  /** The violation when no companion configures the bucket. */
  readonly whenMissing: string;
}

const bucketClasses: readonly ResourceClass[] = [Bucket, BucketV2];

const isOfAny = (resource: PolicyResource, classes: readonly ResourceClass[]) =>
  classes.some((resourceClass) => resource.isType(resourceClass));

/**
 * Names a companion's `bucket` input may carry for this bucket: the bucket's name (`bucket`), its id (the same name,
 * once created), or, under Pulumi mocks that answer a resource's name as its id, its Pulumi resource name.
 */
function namesOf(bucket: PolicyResource): Set<string> {
  const names = [
    whenKnown(() => bucket.props.bucket),
    whenKnown(() => bucket.props.id),
    bucket.name,
  ];
  return new Set(names.filter((name): name is string => typeof name === "string" && name !== ""));
}

/**
 * The companions that configure the bucket. A companion whose `bucket` is unknown during preview matches through its
 * property dependencies (the bucket its `bucket` input comes from); without such a dependency it is unresolved, and
 * could belong to any bucket.
 */
function companionsOf(
  bucket: PolicyResource,
  candidates: readonly PolicyResource[],
): { matched: PolicyResource[]; unresolved: boolean } {
  const names = namesOf(bucket);
  const matched: PolicyResource[] = [];
  let unresolved = false;
  for (const companion of candidates) {
    const target = whenKnown(() => companion.props.bucket);
    if (target === unknownDuringPreview) {
      const dependencies = companion.propertyDependencies?.bucket ?? [];
      if (dependencies.some((dependency) => dependency.urn === bucket.urn)) matched.push(companion);
      else if (!dependencies.some((dependency) => isOfAny(dependency, bucketClasses)))
        unresolved = true;
    } else if (typeof target === "string" && names.has(target)) {
      matched.push(companion);
    }
  }
  return { matched, unresolved };
}

// A judgement that touched a value unknown during preview is pending.
function judged(judge: () => Verdict): Verdict {
  const verdict = whenKnown(judge);
  return verdict === unknownDuringPreview ? pending : verdict;
}

/** The stack rule that checks a requirement on every bucket of the stack. */
export function bucketRule(requirement: BucketRequirement): StackValidationPolicy {
  return {
    name: requirement.name,
    description: requirement.description,
    enforcementLevel: "mandatory",
    validateStack: (args, reportViolation) => {
      const buckets = args.resources.filter((resource) => isOfAny(resource, bucketClasses));
      if (buckets.length === 0) args.notApplicable("the stack has no S3 buckets");
      const candidates = args.resources.filter((resource) =>
        isOfAny(resource, requirement.companions),
      );
      for (const bucket of buckets) {
        const { matched, unresolved } = companionsOf(bucket, candidates);
        const ownSettings = requirement.judgeBucket
          ? judged(() => requirement.judgeBucket!(bucket))
          : undefined;
        if (ownSettings?.kind === "satisfied") continue;
        const verdicts = matched.map((companion) =>
          judged(() => requirement.judgeCompanion(companion)),
        );
        if (verdicts.some((verdict) => verdict.kind === "satisfied")) continue;
        if (unresolved || verdicts.some((verdict) => verdict.kind === "pending")) continue;
        const problems = verdicts.flatMap((verdict) =>
          verdict.kind === "violated" ? [verdict.problem] : [],
        );
        reportViolation(
          `S3 bucket ${bucket.name}: ${problems.length > 0 ? problems.join("; ") : requirement.whenMissing}`,
          bucket.urn,
        );
      }
    },
  };
}
