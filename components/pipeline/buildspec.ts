import { stringify } from "yaml";

/** The build phases CodeBuild runs, in order. */
export const phaseNames = ["install", "pre_build", "build", "post_build"] as const;
export type PhaseName = (typeof phaseNames)[number];

export interface Phase {
  /** Runtimes the image installs before the install phase's commands (install phase only). */
  readonly "runtime-versions"?: Readonly<Record<string, string>>;
  readonly commands: readonly string[];
  /** Commands that run whether or not the phase's commands succeeded. */
  readonly finally?: readonly string[];
}

export type TestReportFormat =
  "JUNITXML" | "CUCUMBERJSON" | "NUNITXML" | "NUNIT3XML" | "TESTNGXML" | "VISUALSTUDIOTRX";
export type CoverageReportFormat = "COBERTURAXML" | "CLOVERXML" | "JACOCOXML" | "SIMPLECOV";

export interface Report {
  readonly files: readonly string[];
  readonly "base-directory"?: string;
  readonly "file-format": TestReportFormat | CoverageReportFormat;
}

export interface ArtifactFiles {
  readonly files: readonly string[];
  readonly "base-directory"?: string;
  readonly "discard-paths"?: "yes" | "no";
}

export interface Artifacts extends Partial<ArtifactFiles> {
  /** Named artifacts; their identifiers are the pipeline's output artifact names. */
  readonly "secondary-artifacts"?: Readonly<Record<string, ArtifactFiles>>;
}

/** A CodeBuild buildspec (version 0.2), the parts this project uses. */
export interface Buildspec {
  readonly version: 0.2;
  readonly env?: {
    readonly shell?: "bash" | "sh";
    /** Plain, non-secret values only: secrets come as Secrets Manager project variables. */
    readonly variables?: Readonly<Record<string, string>>;
    /** Environment variables whose values at the end of the build become the action's output variables. */
    readonly "exported-variables"?: readonly string[];
  };
  readonly phases: Readonly<Partial<Record<PhaseName, Phase>>>;
  /** Report groups by ARN (or name) and the files that feed them. */
  readonly reports?: Readonly<Record<string, Report>>;
  readonly artifacts?: Artifacts;
  readonly cache?: { readonly paths: readonly string[] };
}

/** The buildspec as YAML, the form CodeBuild reads. */
export function renderBuildspec(buildspec: Buildspec): string {
  // No line folding: a folded shell command would change meaning.
  return stringify(buildspec, { lineWidth: 0 });
}
