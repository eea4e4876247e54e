/**
 * Argument parsing on top of `node:util`'s `parseArgs`, turning its errors into usage errors.
 */
import { parseArgs, type ParseArgsConfig } from "node:util";
import { UsageError } from "../command.js";

type Options = NonNullable<ParseArgsConfig["options"]>;
type Parsed<O extends Options> = ReturnType<typeof parseArgs<{ args: string[]; options: O; allowPositionals: true; strict: true }>>;

/** Parses `args` with `options`; unknown options and bad values become `UsageError`s. */
export function parseCommandArgs<O extends Options>(args: readonly string[], options: O): Parsed<O> {
  try {
    return parseArgs({ args: [...args], options, allowPositionals: true, strict: true });
  } catch (e) {
    const msg = e instanceof Error ? e.message.split("\n")[0] ?? "" : String(e);
    throw new UsageError(msg.replace(/^TypeError \[[A-Z_]+\]: /, ""));
  }
}

/** Checks that `value` is one of `allowed`. */
export function oneOf<T extends string>(option: string, value: string | undefined, allowed: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new UsageError(`--${option} must be one of ${allowed.join(", ")} (got \`${value}\`)`);
}
