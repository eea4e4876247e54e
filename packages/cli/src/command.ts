/**
 * The shape of a CLI command, and the I/O it is given (so commands run in-process in tests).
 */

/** What a command may touch. Commands never use `process` directly. */
export interface CliIo {
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Whether standard output is a terminal (colours, progress lines). */
  readonly isTTY: boolean;
  stdout(text: string): void;
  stderr(text: string): void;
  /** Reads all of standard input as UTF-8. */
  readStdin(): Promise<string>;
  /** Reads all of standard input as bytes (binary evidence); when absent, the UTF-8 text of `readStdin`. */
  readStdinBytes?(): Promise<Uint8Array>;
}

/** One `maa-policy` sub-command. */
export interface Command {
  readonly name: string;
  /** The full help text of `maa-policy <name> --help`. */
  readonly usage: string;
  /** Runs the command; resolves to the process exit code. */
  run(args: readonly string[], io: CliIo): Promise<number>;
}

/** A usage mistake: printed with the command's usage line, exit code 2. */
export class UsageError extends Error {
  override readonly name = "UsageError";
}

/** An I/O failure the user can act on (unreadable file …): printed plainly, exit code 2. */
export class InputError extends Error {
  override readonly name = "InputError";
}

/** Exit codes shared by every command. */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;
