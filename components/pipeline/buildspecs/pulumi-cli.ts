/** SHA-256 of a Pulumi CLI release's Linux archives, by CPU architecture as Pulumi names them. */
export interface PulumiCliChecksums {
  readonly x64: string;
  readonly arm64: string;
}

/**
 * The Pulumi CLI releases the builds may install, with the SHA-256 of each Linux archive as the release's
 * `pulumi-<version>-checksums.txt` lists it (the same values as Pulumi's Homebrew formula of that release).
 * A new SDK version needs its line here: builds refuse a CLI they cannot check.
 */
export const pulumiCliReleases: Readonly<Record<string, PulumiCliChecksums>> = {
  "3.248.0": {
    x64: "a13732d8921f99d70b9ae270d79c3b575bb37707fce7486e64fef333afc11ae0",
    arm64: "c0287edf11cac0f0f77378b17b843ef6cb7f39252c9fcc1d2ba62145d6d96d58",
  },
};

/** The Pulumi CLI release of this program's SDK: the CLI that deploys or previews the program matches it. */
export const pulumiCliVersion: string = require("@pulumi/pulumi/package.json").version;

/** What `uname -m` prints on each architecture Pulumi ships a Linux archive for. */
const machines: Readonly<Record<keyof PulumiCliChecksums, string>> = {
  x64: "x86_64",
  arm64: "aarch64",
};

/** Where the archive goes before it is checked (nothing is extracted from it until its checksum matches): the temporary
 * folder, which is /tmp in a build. */
const archive = '"${TMPDIR:-/tmp}/pulumi-cli.tar.gz"';

/**
 * Installs a pinned Pulumi CLI: downloads the release's archive for the build's CPU, checks its SHA-256 and only then
 * extracts it (no `curl | sh` in a build that holds credentials). Buildspec 0.2 runs every command in one shell, so
 * the PATH holds for later phases.
 */
export function installPulumiCli(
  version: string,
  releases: Readonly<Record<string, PulumiCliChecksums>> = pulumiCliReleases,
): string[] {
  const checksums = releases[version];
  if (!checksums)
    throw new Error(
      `Pulumi CLI ${version} has no checksums in components/pipeline/buildspecs/pulumi-cli.ts: add the linux-x64 and linux-arm64 lines of https://github.com/pulumi/pulumi/releases/download/v${version}/pulumi-${version}-checksums.txt`,
    );
  const architectures = Object.keys(machines) as Array<keyof PulumiCliChecksums>;
  return [
    [
      'case "$(uname -m)" in',
      ...architectures.map(
        (arch) => `  ${machines[arch]}) PULUMI_ARCH=${arch}; PULUMI_SHA256=${checksums[arch]} ;;`,
      ),
      '  *) echo "No Pulumi CLI archive for $(uname -m)" >&2; exit 1 ;;',
      "esac",
      `curl -fsSL --retry 3 -o ${archive} "https://get.pulumi.com/releases/sdk/pulumi-v${version}-linux-$PULUMI_ARCH.tar.gz" || exit 1`,
      `echo "$PULUMI_SHA256  ${archive}" | sha256sum -c - || exit 1`,
      `mkdir -p "$HOME/.pulumi/bin" && tar -xzf ${archive} -C "$HOME/.pulumi/bin" --strip-components=1 || exit 1`,
    ].join("\n"),
    'export PATH="$HOME/.pulumi/bin:$PATH"',
    "pulumi version",
  ];
}
