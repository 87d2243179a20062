import { readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";

/**
 * Finds statements in migrations that lose data or break the code still running during a canary shift: DROP TABLE or
 * COLUMN, ALTER COLUMN ... TYPE, RENAME, SET NOT NULL, ADD COLUMN ... NOT NULL without a DEFAULT, TRUNCATE. A statement
 * is allowed when the line comment right before it says `-- destructive: <reason>`. Statements are split by hand
 * (quotes, dollar quotes, comments): a whole SQL parser is megabytes for what is a split and a few patterns.
 */
export interface DestructiveStatement {
  /** The migration file, e.g. 0003-drop-notes.sql. */
  readonly file: string;
  /** Line of the statement's first word. */
  readonly line: number;
  /** What makes it destructive, e.g. "DROP COLUMN". */
  readonly kind: string;
  /** The statement, on one line, cut at 120 characters. */
  readonly statement: string;
  /** The reason the marker gives; absent: unmarked, and the build fails. */
  readonly reason?: string;
}

/** The comment that allows a destructive statement: `-- destructive: <why this is safe or wanted>`. */
export const destructiveMarker = /^--\s*destructive:\s*(\S.*)$/;

const patterns: ReadonlyArray<readonly [string, RegExp]> = [
  ["DROP TABLE", /^DROP\s+TABLE\b/i],
  [
    "DROP COLUMN",
    /^ALTER\s+TABLE\b[\s\S]*\bDROP\s+(?:COLUMN\s+)?(?!CONSTRAINT\b|DEFAULT\b|NOT\s+NULL\b|IDENTITY\b|EXPRESSION\b)\w/i,
  ],
  [
    "ALTER COLUMN TYPE",
    /^ALTER\s+TABLE\b[\s\S]*\bALTER\s+(?:COLUMN\s+)?\S+\s+(?:SET\s+DATA\s+)?TYPE\b/i,
  ],
  ["RENAME", /^ALTER\s+(?:TABLE|INDEX|VIEW|SEQUENCE|SCHEMA|FUNCTION)\b[\s\S]*\bRENAME\b/i],
  ["SET NOT NULL", /^ALTER\s+TABLE\b[\s\S]*\bSET\s+NOT\s+NULL\b/i],
  [
    "ADD COLUMN NOT NULL without DEFAULT",
    /^ALTER\s+TABLE\b(?![\s\S]*\bDEFAULT\b)[\s\S]*\bADD\s+(?:COLUMN\s+)?[\s\S]*\bNOT\s+NULL\b/i,
  ],
  ["TRUNCATE", /^TRUNCATE\b/i],
];

interface Statement {
  readonly text: string;
  readonly line: number;
  /** The line comments just before it. */
  readonly comments: readonly string[];
}

/** Splits SQL into statements, skipping quoted text, dollar-quoted bodies and comments when looking for `;`. */
export function splitStatements(sql: string): Statement[] {
  const statements: Statement[] = [];
  let comments: string[] = [];
  let start = -1;
  let line = 1;
  let startLine = 1;
  for (let at = 0; at < sql.length; at += 1) {
    const char = sql[at];
    if (char === "\n") line += 1;
    if (char === "-" && sql[at + 1] === "-") {
      const end = sql.indexOf("\n", at);
      const comment = sql.slice(at, end === -1 ? sql.length : end).trim();
      if (start === -1) comments.push(comment);
      at = (end === -1 ? sql.length : end) - 1;
      continue;
    }
    if (char === "/" && sql[at + 1] === "*") {
      const end = sql.indexOf("*/", at + 2);
      line += (sql.slice(at, end === -1 ? sql.length : end).match(/\n/g) ?? []).length;
      at = end === -1 ? sql.length : end + 1;
      continue;
    }
    if (start === -1 && /\S/.test(char) && char !== ";") {
      start = at;
      startLine = line;
    }
    if (char === "'" || char === '"') {
      const end = sql.indexOf(char, at + 1);
      line += (sql.slice(at, end === -1 ? sql.length : end).match(/\n/g) ?? []).length;
      at = end === -1 ? sql.length : end;
      continue;
    }
    const tag = char === "$" ? /^\$[A-Za-z_]*\$/.exec(sql.slice(at))?.[0] : undefined;
    if (tag) {
      const end = sql.indexOf(tag, at + tag.length);
      line += (sql.slice(at, end === -1 ? sql.length : end).match(/\n/g) ?? []).length;
      at = end === -1 ? sql.length : end + tag.length - 1;
      continue;
    }
    if (char === ";" && start !== -1) {
      statements.push({ text: sql.slice(start, at).trim(), line: startLine, comments });
      comments = [];
      start = -1;
    } else if (
      char === "\n" &&
      start === -1 &&
      !/\S/.test(sql.slice(sql.lastIndexOf("\n", at - 1) + 1, at))
    ) {
      // A blank line ends a comment block that belongs to no statement.
      comments = [];
    }
  }
  if (start !== -1) statements.push({ text: sql.slice(start).trim(), line: startLine, comments });
  return statements;
}

/** The destructive statements in one migration's SQL. */
export function destructiveStatements(file: string, sql: string): DestructiveStatement[] {
  return splitStatements(sql).flatMap((statement) => {
    const kind = patterns.find(([, pattern]) => pattern.test(statement.text))?.[0];
    if (!kind) return [];
    const reason = statement.comments
      .map((comment) => destructiveMarker.exec(comment)?.[1])
      .find(Boolean);
    const text = statement.text.replace(/\s+/g, " ");
    return [
      {
        file,
        line: statement.line,
        kind,
        statement: text.length > 120 ? `${text.slice(0, 117)}...` : text,
        ...(reason ? { reason } : {}),
      },
    ];
  });
}

/** Every destructive statement in a folder of migrations (default: this service's), marked or not, in file order. */
export function listDestructiveMigrations(
  directory: string = path.join(__dirname, "migrations"),
): DestructiveStatement[] {
  return readdirSync(directory)
    .filter((file) => file.endsWith(".sql"))
    .sort()
    .flatMap((file) =>
      destructiveStatements(file, readFileSync(path.join(directory, file), "utf8")),
    );
}
