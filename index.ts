import { stackSettings } from "./stacks";

const settings = stackSettings();

/** The environment this stack manages. */
export const environment = settings.environment;
/** The branch whose pushes start the pipeline. */
export const branch = settings.branch;
