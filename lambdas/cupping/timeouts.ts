/** How long the database may take on one request, each bound in milliseconds. */
export interface DatabaseTimeouts {
  /** Waiting for a connection: a pooled one to come free, or a new one to open. */
  readonly connectMs: number;
  /** The client's own limit on a query, for a server that does not answer at all (frozen, or the network gone). */
  readonly queryMs: number;
  /** PostgreSQL's statement_timeout: the server cancels first, so the connection stays usable. */
  readonly statementMs: number;
}

/** The longest a connection attempt may take, however long the function may run. */
const longestConnectMs = 5_000;

/**
 * The database's bounds, derived from the function's timeout so that every request answers (503 at worst) before
 * Lambda ends the invocation: a fifth of the time, at most one second, is kept back to answer and log, and a
 * connection plus a query fit in the rest.
 */
export function databaseTimeouts(functionTimeoutSeconds: number): DatabaseTimeouts {
  const totalMs = functionTimeoutSeconds * 1000;
  const budgetMs = totalMs - Math.min(1_000, totalMs / 5);
  const connectMs = Math.floor(Math.min(longestConnectMs, budgetMs / 3));
  const queryMs = Math.floor(budgetMs - connectMs);
  return {
    connectMs,
    queryMs,
    statementMs: Math.max(1, queryMs - Math.min(500, Math.floor(queryMs / 5))),
  };
}
