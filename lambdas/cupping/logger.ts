import type { Context } from "aws-lambda";

/**
 * JSON log lines with the fields of the Powertools logger (level, message, timestamp, service, the Lambda context's
 * cold_start/function_* fields, xray_trace_id, then the call's attributes), written here because those fields are a
 * few lines and Powertools was a tenth of the API bundle.
 */
export interface Logger {
  debug(message: string, attributes?: Record<string, unknown>): void;
  info(message: string, attributes?: Record<string, unknown>): void;
  warn(message: string, attributes?: Record<string, unknown>): void;
  error(message: string, attributes?: Record<string, unknown>): void;
  /** Adds the invocation's context to every later line (as Powertools' addContext does). */
  addContext(context: Context): void;
}

const levels = { DEBUG: 8, INFO: 12, WARN: 16, ERROR: 20 } as const;
type Level = keyof typeof levels;

/** POWERTOOLS_LOG_LEVEL, else Lambda's own AWS_LAMBDA_LOG_LEVEL, else INFO. */
function threshold(env: NodeJS.ProcessEnv): number {
  const named = (env.POWERTOOLS_LOG_LEVEL ?? env.AWS_LAMBDA_LOG_LEVEL ?? "INFO").toUpperCase();
  return named in levels ? levels[named as Level] : levels.INFO;
}

/** An error as Powertools writes it: name, where it was thrown, message, stack, cause, and its own fields. */
export function errorFields(error: Error): Record<string, unknown> {
  const { name, message, stack, cause, ...own } = error as Error & Record<string, unknown>;
  const location = /\(([^()]*?):(\d+?):(\d+?)\)\\?$/m.exec(stack ?? "");
  return {
    name,
    location: location ? `${location[1]}:${Number(location[2])}` : "",
    message,
    stack,
    cause: cause instanceof Error ? errorFields(cause) : cause,
    ...own,
  };
}

const replacer = (_key: string, value: unknown) =>
  value instanceof Error
    ? errorFields(value)
    : typeof value === "bigint"
      ? value.toString()
      : value;

export function createLogger(service: string, env: NodeJS.ProcessEnv = process.env): Logger {
  const lowest = threshold(env);
  let context: Record<string, unknown> = {};
  let coldStart = true;
  const write = (level: Level, message: string, attributes: Record<string, unknown> = {}) => {
    if (levels[level] < lowest) return;
    const traceId = env._X_AMZN_TRACE_ID?.split(";")[0]?.replace("Root=", "");
    const line = {
      level,
      message,
      timestamp: new Date().toISOString(),
      service,
      ...context,
      ...(traceId ? { xray_trace_id: traceId } : {}),
      ...attributes,
    };
    (levels[level] >= levels.WARN ? process.stderr : process.stdout).write(
      `${JSON.stringify(line, replacer)}\n`,
    );
  };
  return {
    debug: (message, attributes) => write("DEBUG", message, attributes),
    info: (message, attributes) => write("INFO", message, attributes),
    warn: (message, attributes) => write("WARN", message, attributes),
    error: (message, attributes) => write("ERROR", message, attributes),
    addContext(lambda) {
      context = {
        cold_start: coldStart,
        function_arn: lambda.invokedFunctionArn,
        function_memory_size: Number(lambda.memoryLimitInMB),
        function_name: lambda.functionName,
        function_request_id: lambda.awsRequestId,
      };
      coldStart = false;
    },
  };
}
