/**
 * The third-party actions the workflows use, each pinned to the commit its release tag points to (read from the
 * action's repository with `git rev-parse <tag>^{commit}`), with the inputs its action.yml declares at that commit.
 * action-validator checks workflow syntax, not what an action accepts: a misspelt input is silently ignored by GitHub.
 */
export const pinnedActions: Readonly<
  Record<
    string,
    { readonly version: string; readonly sha: string; readonly inputs: readonly string[] }
  >
> = {
  "actions/checkout": {
    version: "v4.4.0",
    sha: "11d5960a326750d5838078e36cf38b85af677262",
    inputs: [
      "repository",
      "ref",
      "token",
      "ssh-key",
      "ssh-known-hosts",
      "ssh-strict",
      "ssh-user",
      "persist-credentials",
      "path",
      "clean",
      "filter",
      "sparse-checkout",
      "sparse-checkout-cone-mode",
      "fetch-depth",
      "fetch-tags",
      "show-progress",
      "lfs",
      "submodules",
      "set-safe-directory",
      "github-server-url",
      "allow-unsafe-pr-checkout",
    ],
  },
  "actions/setup-node": {
    version: "v4.4.0",
    sha: "49933ea5288caeca8642d1e84afbd3f7d6820020",
    inputs: [
      "always-auth",
      "node-version",
      "node-version-file",
      "architecture",
      "check-latest",
      "registry-url",
      "scope",
      "token",
      "cache",
      "cache-dependency-path",
      "mirror",
      "mirror-token",
    ],
  },
  "actions/upload-artifact": {
    version: "v4.6.2",
    sha: "ea165f8d65b6e75b540449e92b4886f43607fa02",
    inputs: [
      "name",
      "path",
      "if-no-files-found",
      "retention-days",
      "compression-level",
      "overwrite",
      "include-hidden-files",
    ],
  },
  "aws-actions/configure-aws-credentials": {
    version: "v4.3.1",
    sha: "7474bc4690e29a8392af63c5b98e7449536d5c3a",
    inputs: [
      "aws-region",
      "role-to-assume",
      "aws-access-key-id",
      "aws-secret-access-key",
      "aws-session-token",
      "web-identity-token-file",
      "role-chaining",
      "audience",
      "http-proxy",
      "mask-aws-account-id",
      "role-duration-seconds",
      "role-external-id",
      "role-session-name",
      "role-skip-session-tagging",
      "inline-session-policy",
      "managed-session-policies",
      "output-credentials",
      "output-env-credentials",
      "unset-current-credentials",
      "disable-retry",
      "retry-max-attempts",
      "special-characters-workaround",
      "use-existing-credentials",
    ],
  },
  "pulumi/actions": {
    version: "v6.6.1",
    sha: "8582a9e8cc630786854029b4e09281acd6794b58",
    inputs: [
      "command",
      "stack-name",
      "pulumi-version",
      "pulumi-version-file",
      "work-dir",
      "comment-on-pr",
      "comment-on-pr-number",
      "comment-on-summary",
      "github-token",
      "cloud-url",
      "secrets-provider",
      "parallel",
      "message",
      "config-map",
      "expect-no-changes",
      "diff",
      "replace",
      "exclude",
      "exclude-dependents",
      "target",
      "target-dependents",
      "policyPacks",
      "policyPackConfigs",
      "refresh",
      "upsert",
      "remove",
      "edit-pr-comment",
      "color",
      "exclude-protected",
      "plan",
      "suppress-outputs",
      "suppress-progress",
      "always-include-summary",
      "continue-on-error",
      "log-verbosity",
      "log-flow",
      "debug",
    ],
  },
};

/** The action a `uses:` names, without its ref: `actions/checkout@<sha>` gives `actions/checkout`. */
export const actionName = (uses: string) => uses.replace(/@.*$/, "");

/**
 * One line per third-party `uses:` of a workflow or action file that is not pinned to a full commit SHA with its
 * version in a trailing comment (`uses: owner/repo@<40 hex> # vX.Y.Z`), or not to the commit the table names.
 * Read from the file's text: YAML parsers drop the comment.
 */
export function pinProblems(file: string, text: string): string[] {
  return text.split("\n").flatMap((line, index) => {
    const found = /^\s*(?:-\s+)?uses:\s*(\S+)\s*(.*)$/.exec(line);
    if (!found || found[1].startsWith("./")) return [];
    const where = `${file}:${index + 1}`;
    const [, uses, rest] = found;
    const pinned = /^([\w.-]+\/[\w.-]+)@([0-9a-f]{40})$/.exec(uses);
    const comment = /^#\s*(v\d+(?:\.\d+){0,2})\s*$/.exec(rest);
    if (!pinned || !comment)
      return [
        `${where}: ${uses} must be pinned as <owner>/<repo>@<full 40-hex commit SHA> # <version>, e.g. actions/checkout@${pinnedActions["actions/checkout"].sha} # ${pinnedActions["actions/checkout"].version}`,
      ];
    const known = pinnedActions[pinned[1]];
    if (!known)
      return [
        `${where}: ${pinned[1]} is not among the actions whose pins and inputs are checked (${Object.keys(pinnedActions).join(", ")}); add it to tests/workflows/pinned-actions.ts`,
      ];
    return known.sha === pinned[2] && known.version === comment[1]
      ? []
      : [
          `${where}: ${pinned[1]} is pinned to ${pinned[2]} # ${comment[1]}, but ${known.version} is ${known.sha}`,
        ];
  });
}
