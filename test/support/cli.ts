/**
 * Runs `maa-policy` in-process with captured output, for CLI tests.
 */
import { runCli } from "../../packages/cli/src/cli.js";
import type { CliIo } from "../../packages/cli/src/command.js";

/** The captured result of one CLI run. */
export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the CLI with `args` in `cwd`, feeding `stdin`. */
export async function runMaaPolicy(args: readonly string[], options: { cwd?: string; stdin?: string | Uint8Array; env?: Record<string, string>; isTTY?: boolean } = {}): Promise<CliRun> {
  let stdout = "";
  let stderr = "";
  const io: CliIo = {
    cwd: options.cwd ?? process.cwd(),
    env: options.env ?? {},
    isTTY: options.isTTY ?? false,
    stdout: (t) => {
      stdout += t;
    },
    stderr: (t) => {
      stderr += t;
    },
    readStdin: async () => (typeof options.stdin === "string" ? options.stdin : options.stdin ? new TextDecoder().decode(options.stdin) : ""),
    readStdinBytes: async () => (typeof options.stdin === "string" ? new TextEncoder().encode(options.stdin) : (options.stdin ?? new Uint8Array())),
  };
  const code = await runCli(args, io);
  return { code, stdout, stderr };
}
