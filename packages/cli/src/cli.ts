/**
 * The `maa-policy` dispatcher: picks the sub-command and turns every failure into a message and
 * an exit code (0 ok, 1 problems found, 2 usage or I/O error). Never prints a stack trace for a
 * user mistake; an unexpected exception is reported as an internal error.
 */
import { EXIT, InputError, UsageError, type CliIo, type Command } from "./command.js";
import { commands } from "./commands/index.js";
import { VERSION } from "./version.js";

export { VERSION } from "./version.js";

function mainUsage(): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    "Usage: maa-policy <command> [options]",
    "",
    "The toolchain for Microsoft Azure Attestation policies.",
    "",
    "Commands:",
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    "",
    "Run `maa-policy <command> --help` for a command's options.",
  ].join("\n");
}

/** Runs the CLI with `argv` (without node and script) and resolves to the exit code. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    io.stdout(mainUsage() + "\n");
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  if (name === "--version" || name === "-v") {
    io.stdout(VERSION + "\n");
    return EXIT.ok;
  }
  const entry = commands.find((c) => c.name === name);
  if (!entry) {
    io.stderr(`maa-policy: unknown command \`${name}\`\n\n${mainUsage()}\n`);
    return EXIT.usage;
  }
  let command: Command | undefined;
  try {
    command = await entry.load();
    return await command.run(rest, io);
  } catch (e) {
    if (e instanceof UsageError && command) {
      io.stderr(`maa-policy ${command.name}: ${e.message}\n${command.usage.split("\n")[0]}\nRun \`maa-policy ${command.name} --help\` for help.\n`);
      return EXIT.usage;
    }
    if (e instanceof InputError) {
      io.stderr(`maa-policy ${entry.name}: ${e.message}\n`);
      return EXIT.usage;
    }
    const detail = e instanceof Error ? (e.stack ?? e.message) : String(e);
    io.stderr(
      `maa-policy ${entry.name}: internal error (please report it): ${e instanceof Error ? e.message : String(e)}\n` +
        (io.env["MAA_POLICY_DEBUG"] ? detail + "\n" : ""),
    );
    return EXIT.usage;
  }
}
