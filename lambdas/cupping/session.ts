/** The largest id, account id or user id: PostgreSQL's `integer`, which holds them. */
export const largestInteger = 2_147_483_647;

/** A coffee tasted in a session, as a client writes it. */
export interface NewCupping {
  readonly name: string;
  /** Score name (e.g. "Aroma") to score. */
  readonly scores: Readonly<Record<string, number>>;
  /** 0 to 100, at most one decimal. */
  readonly overallScore: number;
  readonly descriptors: readonly string[];
  readonly defects: readonly string[];
  readonly notes: string | null;
  readonly isSample: boolean;
}

/** A tasting session with the cuppings recorded in it, as a client writes it. */
export interface NewSession {
  readonly name: string;
  /** The cupping form used, e.g. "SCAA". */
  readonly formName: string;
  readonly accountId: number | null;
  readonly userId: number | null;
  readonly cuppings: readonly NewCupping[];
}

/** What the database adds to every record: its id and when it was created and last changed (ISO 8601, UTC). */
export interface Stored {
  readonly id: number;
  readonly created: string;
  readonly updated: string;
}

export interface Cupping extends NewCupping, Stored {
  readonly sessionId: number;
}

export interface Session extends Omit<NewSession, "cuppings">, Stored {
  readonly cuppings: readonly Cupping[];
}
