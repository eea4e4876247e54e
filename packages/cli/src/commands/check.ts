/**
 * `maa-policy check <files, directories or globs…>`: lint policies (syntax and every check) for
 * CI and terminals, in five output formats, with rule configuration, inline suppressions and
 * safe automatic fixes.
 */
import { access, mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { catalog, check, docsPath, isConfigurableCode, type CheckOptions, type Diagnostic, type DiagnosticCode, type RuleLevel } from "@maa-policy/core";
import { VERSION } from "../version.js";
import { fixText, writeFileAtomic } from "../check/apply-fixes.js";
import {
  CONFIG_FILE_NAME,
  ConfigResolver,
  EMPTY_CONFIG,
  isIgnored,
  loadConfig,
  validateAttestationType,
  validateRule,
  type LintConfig,
} from "../check/config.js";
import { countSeverities, type FileReport } from "../check/file-report.js";
import { formatGithub } from "../check/format-github.js";
import { formatJson } from "../check/format-json.js";
import { formatJunit } from "../check/format-junit.js";
import { formatPretty } from "../check/format-pretty.js";
import { formatSarif } from "../check/format-sarif.js";
import { EXIT, InputError, UsageError, type CliIo, type Command } from "../command.js";
import { oneOf, parseCommandArgs } from "../util/args.js";
import { describeFsError, displayPath, expandOperands, readSource } from "../util/files.js";

const FORMATS = ["pretty", "json", "sarif", "github", "junit"] as const;
const FAIL_LEVELS = ["error", "warning"] as const;
/** Above this many files, a terminal shows a progress line. */
const PROGRESS_THRESHOLD = 5;
/** At most this many files are read at once (well below the usual open-file limits). */
const READ_CONCURRENCY = 32;

/** The `check` command: lint policies and report in one of five formats. */
export const checkCommand: Command = {
  name: "check",
  usage: `Usage: maa-policy check [options] <files, directories or globs…>

Checks MAA attestation policies and reports every problem with its code, location and fix.
Use \`-\` to read a policy from standard input. Settings come from the nearest
${CONFIG_FILE_NAME} above each file (or --config), then from the options below.

Options:
  --format <fmt>            pretty, json, sarif, github or junit (default: pretty)
  --fail-level <level>      error or warning: the lowest severity that fails (default: error)
  --max-warnings <n>        also fail when there are more than n warnings
  --fix                     apply safe fixes in place, then report what is left
  --rule <CODE=level>       set a rule to error, warning, info or off (repeatable)
  --attestation-type <t>    SgxEnclave, OpenEnclave, Tpm, VbsEnclave, AzureGuest, SevSnpVm
                            or TdxVm (default: from the configuration, else inferred)
  --config <file>           use this configuration file for every policy
  --output-file <file>      write the report to a file instead of standard output
  --no-color                never colour the output
  --list-rules              list every configurable rule with its default level, then exit
  -h, --help                show this help

Exit codes: 0 no failing problems, 1 problems at or above the fail level (or too many
warnings), 2 usage, configuration or I/O error.`,

  async run(args: readonly string[], io: CliIo): Promise<number> {
    const { values, positionals } = parseCommandArgs(args, {
      format: { type: "string" },
      "fail-level": { type: "string" },
      "max-warnings": { type: "string" },
      fix: { type: "boolean" },
      rule: { type: "string", multiple: true },
      "attestation-type": { type: "string" },
      config: { type: "string" },
      "output-file": { type: "string" },
      "no-color": { type: "boolean" },
      "list-rules": { type: "boolean" },
      help: { type: "boolean", short: "h" },
    });
    if (values.help) {
      io.stdout(this.usage + "\n");
      return EXIT.ok;
    }
    if (values["list-rules"]) {
      io.stdout(listRules());
      return EXIT.ok;
    }
    const format = oneOf("format", values.format, FORMATS, "pretty");
    const failLevel = oneOf("fail-level", values["fail-level"], FAIL_LEVELS, "error");
    const maxWarnings = parseMaxWarnings(values["max-warnings"]);
    const cliRules = parseRuleFlags(values.rule ?? []);
    const cliAttestationType = values["attestation-type"] !== undefined ? usage(() => validateAttestationType(values["attestation-type"] as string, "--attestation-type")) : undefined;
    if (positionals.length === 0) throw new UsageError("no files given");
    if (values.fix && positionals.includes("-")) throw new UsageError("--fix rewrites files in place: it cannot be used with standard input (`-`)");

    const show = (p: string) => displayPath(p, io.cwd);
    const fixedConfig = values.config !== undefined ? await loadConfig(path.resolve(io.cwd, values.config), values.config) : undefined;
    const resolver = new ConfigResolver(exists, show);
    const configFor = (dir: string): Promise<LintConfig> => (fixedConfig ? Promise.resolve(fixedConfig) : resolver.forDirectory(dir));

    const paths = await expandOperands(positionals, io.cwd);
    const progress = io.isTTY && paths.length > PROGRESS_THRESHOLD;
    const reports: FileReport[] = [];
    let ignored = 0;
    // Configurations are resolved and files read ahead, concurrently; checking is synchronous.
    const configs = paths.map((p) => (p === "-" ? configFor(io.cwd) : configFor(path.dirname(p))));
    const limit = limiter(READ_CONCURRENCY);
    const sources = paths.map((p, i) =>
      (configs[i] as Promise<LintConfig>).then((config) =>
        p !== "-" && config !== EMPTY_CONFIG && isIgnored(p, config) ? undefined : limit(() => readSource(p, io)),
      ),
    );
    // Rejections are awaited in order below; this keeps an early failure from being reported as unhandled.
    for (const s of sources) s.catch(() => undefined);
    for (const [i, p] of paths.entries()) {
      if (progress) io.stderr(`\rchecking ${i + 1}/${paths.length}: ${truncate(show(p), 50)}\u001b[K`);
      const config = await (configs[i] as Promise<LintConfig>);
      const file = await sources[i];
      if (file === undefined) {
        ignored++;
        continue;
      }
      const options: CheckOptions = {
        rules: { ...config.rules, ...cliRules },
        attestationType: cliAttestationType ?? config.attestationType,
      };
      if (values.fix && file.absolutePath !== undefined) {
        const fixed = fixText(file.text, options);
        if (fixed.text !== file.text) {
          try {
            await writeFileAtomic(file.absolutePath, fixed.text);
          } catch (e) {
            throw new InputError(`${file.path}: cannot write the fixed file: ${describeFsError(e)}`);
          }
        }
        reports.push({ path: file.path, text: fixed.text, diagnostics: fixed.result.diagnostics, attestationType: fixed.result.attestationType, fixed: fixed.fixed });
        continue;
      }
      const result = check(file.text, options);
      reports.push({ path: file.path, text: file.text, diagnostics: result.diagnostics, attestationType: result.attestationType, fixed: 0 });
    }
    if (progress) io.stderr("\r\u001b[K");

    const fails = (d: Diagnostic) => d.severity === "error" || (failLevel === "warning" && d.severity === "warning");
    const color = io.isTTY && values["output-file"] === undefined && values["no-color"] !== true && io.env["NO_COLOR"] === undefined;
    let output: string;
    switch (format) {
      case "json":
        output = formatJson(reports);
        break;
      case "sarif":
        output = formatSarif(reports, VERSION);
        break;
      case "github":
        output = formatGithub(reports);
        break;
      case "junit":
        output = formatJunit(reports, fails);
        break;
      default:
        output = formatPretty(reports, { color, ignored });
    }
    if (values["output-file"] !== undefined) {
      const out = path.resolve(io.cwd, values["output-file"]);
      try {
        await mkdir(path.dirname(out), { recursive: true });
        await writeFile(out, output, "utf8");
      } catch (e) {
        throw new InputError(`${values["output-file"]}: cannot write the report: ${describeFsError(e)}`);
      }
    } else io.stdout(output);

    const { warnings } = countSeverities(reports);
    const failed = reports.some((r) => r.diagnostics.some(fails));
    if (failed) return EXIT.failed;
    if (maxWarnings !== undefined && warnings > maxWarnings) {
      io.stderr(`maa-policy check: ${warnings} warnings found, more than the --max-warnings limit of ${maxWarnings}\n`);
      return EXIT.failed;
    }
    return EXIT.ok;
  },
};

async function exists(file: string): Promise<boolean> {
  try {
    await access(file);
    return true;
  } catch {
    return false;
  }
}

/** The configurable rules, one per line: code, default level, name and summary. */
function listRules(): string {
  const codes = (Object.keys(catalog) as DiagnosticCode[]).filter(isConfigurableCode);
  return codes.map((c) => `${c}  ${catalog[c].severity.padEnd(7)}  ${catalog[c].slug.padEnd(30)}  ${catalog[c].summary}  (${docsPath(c)})`).join("\n") + "\n";
}

/** Runs at most `n` of the given tasks at a time. */
function limiter(n: number): <T>(task: () => Promise<T>) => Promise<T> {
  let active = 0;
  const waiting: (() => void)[] = [];
  return async <T>(task: () => Promise<T>): Promise<T> => {
    if (active >= n) await new Promise<void>((resolve) => waiting.push(resolve));
    active++;
    try {
      return await task();
    } finally {
      active--;
      waiting.shift()?.();
    }
  };
}

function truncate(s: string, n: number): string {
  return s.length <= n ? s : "…" + s.slice(s.length - n + 1);
}

/** Runs a validation, turning its input error into a usage error (for command-line options). */
function usage<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof InputError) throw new UsageError(e.message);
    throw e;
  }
}

function parseMaxWarnings(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) throw new UsageError(`--max-warnings must be a non-negative integer (got \`${value}\`)`);
  return Number(value);
}

function parseRuleFlags(flags: readonly string[]): Record<string, RuleLevel> {
  const out: Record<string, RuleLevel> = {};
  for (const flag of flags) {
    const m = /^\s*([A-Za-z0-9]+)\s*=\s*([a-z]+)\s*$/.exec(flag);
    if (!m) throw new UsageError(`--rule expects CODE=level, such as \`P2012=off\` (got \`${flag}\`)`);
    const code = (m[1] as string).toUpperCase();
    const level = m[2] as string;
    out[code] = usage(() => validateRule(code, level, "--rule"));
  }
  return out;
}
