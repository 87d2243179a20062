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
/** The file that keeps what was made from `source` in `folder`. */
export declare function cacheFile(folder: string, source: string, extension: string): string;
/** Writes a cache file; a cache that cannot be written (a read-only checkout) is skipped. */
export declare function keepFile(file: string, data: string | NodeJS.ArrayBufferView): void;
