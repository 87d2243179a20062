/**
 * From now on, compiles each CommonJS module that `keeps(filename)` accepts from the code kept in `folder` when there
 * is some for its text, and keeps the code of the others when the process exits.
 */
export declare function keepCompiledCode(options?: {
  readonly keeps?: (filename: string) => boolean;
  readonly folder?: string;
}): void;
/** What this process took from the cache and what it compiled, as counts of modules. */
export declare function codeCacheUse(): { reused: number; compiled: number };
