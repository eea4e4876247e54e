/**
 * `maa-policy check <files or globs…>`: report syntax diagnostics for CI and terminals.
 */
import { LineIndex, diagnosticToJson, parse, renderDiagnostic, type Diagnostic } from "@maa-policy/core";
import { EXIT, UsageError, type CliIo, type Command } from "../command.js";
import { oneOf, parseCommandArgs } from "../util/args.js";
import { expandOperands, readSource, type SourceFile } from "../util/files.js";

const FORMATS = ["pretty", "json"] as const;

interface FileReport {
  readonly file: SourceFile;
  readonly diagnostics: readonly Diagnostic[];
}

export const checkCommand: Command = {
  name: "check",
  summary: "check policies for errors (syntax); exit 1 when any error is found",
  usage: `Usage: maa-policy check [options] <files, directories or globs…>

Checks MAA attestation policies and reports every problem with its code, location and fix.
Use \`-\` to read a policy from standard input.

Options:
  --format <pretty|json>   output format (default: pretty)
  --no-color               never colour the output
  -h, --help               show this help

Exit codes: 0 no errors, 1 errors found, 2 usage or I/O error.`,

  async run(args: readonly string[], io: CliIo): Promise<number> {
    const { values, positionals } = parseCommandArgs(args, {
      format: { type: "string" },
      "no-color": { type: "boolean" },
      help: { type: "boolean", short: "h" },
    });
    if (values.help) {
      io.stdout(this.usage + "\n");
      return EXIT.ok;
    }
    const format = oneOf("format", values.format, FORMATS, "pretty");
    if (positionals.length === 0) throw new UsageError("no files given");
    const paths = await expandOperands(positionals, io.cwd);
    const reports: FileReport[] = [];
    for (const p of paths) {
      const file = await readSource(p, io);
      reports.push({ file, diagnostics: parse(file.text).diagnostics });
    }
    const errors = reports.reduce((n, r) => n + r.diagnostics.filter((d) => d.severity === "error").length, 0);
    const warnings = reports.reduce((n, r) => n + r.diagnostics.filter((d) => d.severity === "warning").length, 0);
    if (format === "json") {
      const json = {
        files: reports.map((r) => {
          const index = new LineIndex(r.file.text);
          return { path: r.file.path, diagnostics: r.diagnostics.map((d) => diagnosticToJson(d, index)) };
        }),
        summary: { errors, warnings },
      };
      io.stdout(JSON.stringify(json, null, 2) + "\n");
    } else {
      const color = io.isTTY && values["no-color"] !== true && io.env["NO_COLOR"] === undefined;
      for (const r of reports) {
        const index = new LineIndex(r.file.text);
        for (const d of r.diagnostics) {
          io.stdout(renderDiagnostic(r.file.text, d, { fileName: r.file.path, color, lineIndex: index }) + "\n\n");
        }
      }
      const files = reports.length;
      io.stdout(
        `${files} file${files === 1 ? "" : "s"} checked: ${errors} error${errors === 1 ? "" : "s"}, ${warnings} warning${warnings === 1 ? "" : "s"}\n`,
      );
    }
    return errors > 0 ? EXIT.failed : EXIT.ok;
  },
};
