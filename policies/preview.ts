// @pulumi/policy marks its unknown-value error @internal, so its typings omit it; the engine throws it from props.
const { UnknownValueError } = require("@pulumi/policy/proxy") as {
  UnknownValueError: abstract new (...args: never[]) => Error;
};

/** Stands for a value that is not known until the resource it comes from exists (during `pulumi preview`). */
export const unknownDuringPreview: unique symbol = Symbol("unknown during preview");

export type MaybeUnknown<T> = T | typeof unknownDuringPreview;

/**
 * Reads resource properties that may be unknown during preview. The policy engine hands rules props that throw
 * when an unknown value is touched; a rule that reads through this tells "not set" from "not known yet".
 */
export function whenKnown<T>(read: () => T): MaybeUnknown<T> {
  try {
    return read();
  } catch (error) {
    if (error instanceof UnknownValueError) return unknownDuringPreview;
    throw error;
  }
}

/** True when the value is set or will be (unknown during preview); false when absent or empty. */
export function isSetOrUnknown(value: MaybeUnknown<unknown>): boolean {
  if (value === unknownDuringPreview) return true;
  return value !== undefined && value !== null && value !== "";
}

/** The elements of a list from resource properties, each read on its own so one unknown element does not hide the rest. */
export function eachElement<T>(list: readonly T[]): MaybeUnknown<T>[] {
  return Array.from({ length: list.length }, (_, index) => whenKnown(() => list[index]));
}
