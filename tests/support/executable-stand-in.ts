import { chmodSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { startRecordingServer } from "./slack-server";

/** What one run of the executable prints and how it exits. */
export interface ExecutableAnswer {
  readonly status: number;
  readonly stdout?: string;
  readonly stderr?: string;
}

/** An executable whose every run is answered by a function in the test process. */
export interface ExecutableStandIn {
  /** Path of the executable. */
  readonly command: string;
  close(): Promise<void>;
}

/**
 * The executable: bash sends its arguments (each ended by a NUL, which no argument can hold) over its own /dev/tcp to
 * a server on 127.0.0.1, then prints the answer's stdout and stderr and exits with its status. Bash starts in a few
 * milliseconds where node takes ~130 ms, and the stand-in's state stays in the test process.
 */
const client = (port: number) => `#!/usr/bin/env bash
# Byte counts, not characters, for Content-Length.
LC_ALL=C
length=0
for arg in "$@"; do length=$((length + \${#arg} + 1)); done
exec 3<>/dev/tcp/127.0.0.1/${port} || exit 70
printf 'POST / HTTP/1.0\\r\\nContent-Length: %d\\r\\n\\r\\n' "$length" >&3
(($# == 0)) || printf '%s\\0' "$@" >&3
status=70
stdoutBytes=0
while IFS= read -r line <&3; do
  line=\${line%$'\\r'}
  [[ -n $line ]] || break
  case $line in
    "X-Exit-Status: "*) status=\${line#*: } ;;
    "X-Stdout-Bytes: "*) stdoutBytes=\${line#*: } ;;
  esac
done
head -c "$stdoutBytes" <&3
cat <&3 >&2
exit "$status"
`;

/** Starts the server and writes the executable `name` that asks it. */
export async function executableStandIn(
  name: string,
  answer: (args: string[]) => ExecutableAnswer,
): Promise<ExecutableStandIn> {
  const server = await startRecordingServer((request) => {
    const args = request.body.split("\0").slice(0, -1);
    // A stand-in that throws fails the run loudly, as a crashed CLI would, instead of hanging the caller.
    const {
      status,
      stdout = "",
      stderr = "",
    } = (() => {
      try {
        return answer(args);
      } catch (error) {
        return { status: 70, stderr: `${name} stand-in failed: ${(error as Error).stack}\n` };
      }
    })();
    return {
      status: 200,
      headers: {
        "X-Exit-Status": String(status),
        "X-Stdout-Bytes": String(Buffer.byteLength(stdout)),
      },
      body: stdout + stderr,
    };
  });
  const command = path.join(mkdtempSync(path.join(tmpdir(), `${name}-stand-in-`)), name);
  writeFileSync(command, client(Number(new URL(server.origin).port)));
  chmodSync(command, 0o755);
  return { command, close: () => server.close() };
}
