/** What a client sent cannot be used: the message list, or field path (e.g. "cuppings.0.scores") to what is allowed there. */
export class InvalidInput extends Error {
  constructor(readonly errors: readonly string[] | Readonly<Record<string, string>>) {
    super("Invalid input");
  }
}

/** The addressed resource does not exist (or its address could never name one). */
export class NotFound extends Error {}

/** The request is refused before it is read: a body too large (413), or not JSON where JSON is written (415). */
export class Refused extends Error {
  constructor(
    readonly statusCode: 413 | 415,
    message: string,
  ) {
    super(message);
  }
}
