import { PullRequestPreviews, SourceConnection } from "./components/github";
import { stackSettings } from "./stacks";

const settings = stackSettings();

/** The environment this stack manages. */
export const environment = settings.environment;
/** The branch whose pushes start the pipeline. */
export const branch = settings.branch;

const connection = settings.source.kind === "connection" ? new SourceConnection("source-connection", { settings }) : undefined;
/** The CodeStar connection the pipeline's source uses (source kind connection). */
export const connectionArn = connection?.arn;
/** Status of the connection the stack created: PENDING until someone completes it in the console (see README). */
export const connectionStatus = connection?.status;

const previews = settings.pullRequestPreviews ? new PullRequestPreviews("pull-request-previews", { settings }) : undefined;
/** The CodeBuild project that tests and previews pull requests against the branch. */
export const pullRequestPreviewProject = previews?.projectName;
