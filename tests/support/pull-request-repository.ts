import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import * as path from "node:path";

/** git in a folder, as a test's committer. */
export const git = (cwd: string, ...args: string[]) =>
  execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@example.com", ...args], {
    cwd,
    encoding: "utf8",
  });

/**
 * A bare origin whose main holds one file, and the checkout CodeBuild makes of a pull request that changes it: a
 * build's steps can then show which of the two versions they ran.
 */
export function pullRequestRepository(
  root: string,
  file: string,
  onMain: string,
  inPullRequest: string,
): { readonly origin: string; readonly work: string } {
  const origin = path.join(root, "origin.git");
  const work = path.join(root, "work");
  mkdirSync(work);
  git(root, "init", "--quiet", "--bare", "--initial-branch", "main", origin);
  git(work, "init", "--quiet", "--initial-branch", "main");
  writeFileSync(path.join(work, file), onMain);
  git(work, "add", ".");
  git(work, "commit", "--quiet", "-m", "main");
  git(work, "push", "--quiet", origin, "main");
  git(work, "checkout", "--quiet", "-b", "pr");
  writeFileSync(path.join(work, file), inPullRequest);
  git(work, "commit", "--quiet", "-am", "the pull request");
  return { origin, work };
}
