/** A value as one single-quoted shell word: the shell reads none of its characters (quotes, `;`, `$`). */
export const shellQuote = (value: string | number): string =>
  `'${String(value).replace(/'/g, `'\\''`)}'`;
