/** A DeploymentWindow rule's settings: when the Deploy stage may start, and in which time zone. */
export interface DeployWindow {
  /** CodePipeline's cron: seconds, minutes, hours, day of month, month, day of week, and an optional year. */
  readonly cron: string;
  /** IANA time zone the cron is read in, e.g. Europe/Berlin. */
  readonly timeZone: string;
}

// Characters each cron field allows (CodePipeline rule reference, DeploymentWindow).
const cronFields: ReadonlyArray<{ readonly name: string; readonly pattern: RegExp }> = [
  { name: "seconds", pattern: /^[\d,*/-]+$/ },
  { name: "minutes", pattern: /^[\d,*/-]+$/ },
  { name: "hours", pattern: /^[\d,*/-]+$/ },
  { name: "day of month", pattern: /^(?:[\d,*/?LW-]+)$/ },
  { name: "month", pattern: /^(?:[\d,*/-]|JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|OCT|NOV|DEC)+$/i },
  { name: "day of week", pattern: /^(?:[\d,*/?L#-]|SUN|MON|TUE|WED|THU|FRI|SAT)+$/i },
  { name: "year", pattern: /^[\d,*/-]+$/ },
];

const isTimeZone = (zone: string): boolean => {
  try {
    new Intl.DateTimeFormat("en", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
};

/**
 * Reads `pipelines:deployWindow`: CodePipeline cron fields followed by a time zone, e.g.
 * `* 0-59 9-16 ? * MON-THU Europe/Berlin`; empty means any time. Returns the problem instead when there is one.
 */
export function parseDeployWindow(
  text: string,
): DeployWindow | undefined | { readonly problem: string } {
  const tokens = text.trim().split(/\s+/).filter(Boolean);
  if (tokens.length === 0) return undefined;
  const timeZone = tokens[tokens.length - 1];
  const fields = tokens.slice(0, -1);
  if (fields.length < 6 || fields.length > 7) {
    return {
      problem: `must be 6 or 7 cron fields (seconds minutes hours day-of-month month day-of-week [year]) then a time zone, e.g. "* 0-59 9-16 ? * MON-THU Europe/Berlin" (got ${fields.length} fields before "${timeZone}")`,
    };
  }
  const bad = fields.findIndex((field, index) => !cronFields[index].pattern.test(field));
  if (bad >= 0)
    return {
      problem: `cron field ${bad + 1} (${cronFields[bad].name}) "${fields[bad]}" has characters that field does not allow`,
    };
  if (!isTimeZone(timeZone))
    return {
      problem: `"${timeZone}" is not a time zone; use an IANA name such as Europe/Berlin or UTC`,
    };
  return { cron: fields.join(" "), timeZone };
}

/** Whether text is an EventBridge schedule expression: rate(<n> <unit>) or cron(<6 fields>). */
export function isScheduleExpression(text: string): boolean {
  const rate = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/.exec(text);
  if (rate) return Number(rate[1]) > 0 && (Number(rate[1]) === 1) === !rate[2].endsWith("s");
  const cron = /^cron\((.+)\)$/.exec(text);
  return cron !== null && cron[1].trim().split(/\s+/).length === 6;
}
