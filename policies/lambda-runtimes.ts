import { Runtime } from "@pulumi/aws/types/enums/lambda";

/**
 * Runtimes @pulumi/aws still lists but marks deprecated: AWS has retired them and no longer lets a function be
 * created with them (https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html#runtimes-deprecated).
 * A test compares this list with the provider's markers, so an upgrade that retires another one fails there first.
 */
export const retiredRuntimes: readonly string[] = [
  "dotnet5.0",
  "dotnet7",
  "dotnetcore2.1",
  "dotnetcore3.1",
  "go1.x",
  "java8",
  "nodejs10.x",
  "nodejs12.x",
  "nodejs14.x",
  "nodejs16.x",
  "provided",
  "python2.7",
  "python3.6",
  "python3.7",
  "python3.8",
  "ruby2.5",
  "ruby2.7",
];

/** The runtime identifiers AWS Lambda offers for new functions, as the provider lists them (it follows AWS each release). */
export const offeredRuntimes: readonly string[] = Object.values(Runtime).filter(
  (runtime) => !retiredRuntimes.includes(runtime),
);
