/**
 * `maa-policy fmt <files…>`: format policies in the house style (docs/formatting.md).
 *
 * One file is printed to standard output; `--write` rewrites files in place atomically,
 * `--check` lists the files that would change, `--diff` prints what would change. A file with
 * syntax errors is never rewritten: its diagnostics are reported and the exit code is 1.
 */
import { format, renderDiagnostic, type FormatOptions } from "@maa-policy/core";
import { writeFileAtomic } from "../check/apply-fixes.js";
import { EXIT, UsageError, type CliIo, type Command } from "../command.js";
import { oneOf, parseCommandArgs } from "../util/args.js";
import { describeFsError, expandOperands, readSource } from "../util/files.js";
import { unifiedDiff } from "../util/unified-diff.js";

const END_OF_LINES = ["auto", "lf", "crlf"] as const;

/** Parses `--width`. */
function parseWidth(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || Number(value) < 20 || Number(value) > 1000) {
    throw new UsageError(`--width must be a whole number from 20 to 1000 (got \`${value}\`)`);
  }
  return Number(value);
}

/** Parses `--indent`. */
function parseIndent(value: string | undefined): number | "tab" | undefined {
  if (value === undefined) return undefined;
  if (value === "tab") return "tab";
  if (!/^\d+$/.test(value) || Number(value) < 1 || Number(value) > 16) {
    throw new UsageError(`--indent must be a number of spaces from 1 to 16, or \`tab\` (got \`${value}\`)`);
  }
  return Number(value);
}

/** The `fmt` command: format policies (print, rewrite, check or diff). */
export const fmtCommand: Command = {
  name: "fmt",
  usage: `Usage: maa-policy fmt [options] <files, directories or globs…>

Formats MAA attestation policies: one layout, every comment kept, meaning unchanged.
With one file and no mode option, prints the formatted policy. Use \`-\` for standard input.
A policy with syntax errors is not formatted: its errors are reported.
\`// maa-policy-format off\` and \`// maa-policy-format on\` keep a region as written.

Options:
  --write               rewrite the files in place (atomically)
  --check               list the files that are not formatted; exit 1 if any
  --diff                print a unified diff of the changes; exit 1 if any
  --width <n>           the line width (default 100)
  --indent <n|tab>      spaces per indentation level, or tab (default 4)
  --end-of-line <eol>   lf, crlf or auto: keep the file's (default auto)
  -h, --help            show this help

Exit codes: 0 formatted (or written), 1 files would change or have syntax errors,
2 usage or I/O error.`,

  async run(args: readonly string[], io: CliIo): Promise<number> {
    const { values, positionals } = parseCommandArgs(args, {
      write: { type: "boolean" },
      check: { type: "boolean" },
      diff: { type: "boolean" },
      width: { type: "string" },
      indent: { type: "string" },
      "end-of-line": { type: "string" },
      help: { type: "boolean", short: "h" },
    });
    if (values.help) {
      io.stdout(this.usage + "\n");
      return EXIT.ok;
    }
    const options: FormatOptions = {
      width: parseWidth(values.width),
      indent: parseIndent(values.indent),
      endOfLine: oneOf("end-of-line", values["end-of-line"], END_OF_LINES, "auto"),
    };
    const write = values.write === true;
    const checkMode = values.check === true;
    const diff = values.diff === true;
    if (write && checkMode) throw new UsageError("--write and --check cannot be combined");
    if (positionals.length === 0) throw new UsageError("no policy file given");
    const files = await expandOperands(positionals, io.cwd);
    if (write && files.includes("-")) throw new UsageError("--write cannot rewrite standard input (`-`)");
    const print = !write && !checkMode && !diff;
    if (print && files.length > 1) throw new UsageError("give --write, --check or --diff to format several files");

    let failed = false;
    let wouldChange = 0;
    let written = 0;
    for (const file of files) {
      const source = await readSource(file, io);
      const result = format(source.text, options);
      if (result.diagnostics.length > 0) {
        failed = true;
        for (const d of result.diagnostics) io.stderr(renderDiagnostic(source.text, d, { fileName: source.path, color: io.isTTY }) + "\n");
        const internal = result.diagnostics.some((d) => d.code === "P9001");
        io.stderr(`${source.path}: not formatted: ${internal ? "the formatter hit a bug (please report it)" : "fix the errors above first"}\n`);
        continue;
      }
      if (print) {
        io.stdout(result.text);
        continue;
      }
      if (!result.changed) continue;
      wouldChange++;
      if (checkMode) io.stdout(`${source.path}\n`);
      if (diff) io.stdout(unifiedDiff(source.path, source.text, result.text));
      if (write && source.absolutePath !== undefined) {
        try {
          await writeFileAtomic(source.absolutePath, result.text);
          written++;
        } catch (e) {
          io.stderr(`${source.path}: cannot write: ${describeFsError(e)}\n`);
          return EXIT.usage;
        }
      }
    }
    if (write) {
      io.stderr(`formatted ${written} file${written === 1 ? "" : "s"}, ${files.length - written} unchanged or not formatted\n`);
      return failed ? EXIT.failed : EXIT.ok;
    }
    if (checkMode && wouldChange > 0) {
      io.stderr(`${wouldChange} file${wouldChange === 1 ? "" : "s"} would be reformatted: run \`maa-policy fmt --write\`\n`);
    }
    if (failed) return EXIT.failed;
    if ((checkMode || diff) && wouldChange > 0) return EXIT.failed;
    return EXIT.ok;
  },
};
