/** node_modules/.cache of this project. */
export declare const cacheRoot: string;
/**
 * The value kept in `folder` for `source`, else `make()`'s, kept when `keepable(value, json)` says so. A cache that
 * cannot be written is skipped.
 */
export declare function cachedJson<T>(
  folder: string,
  source: string,
  make: () => T,
  keepable?: (value: T, json: string) => boolean,
): T;
