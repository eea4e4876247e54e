/**
 * `maa-policy.config.json`: the linter's configuration file, found by walking up from each
 * policy file's directory (the nearest one wins; files are not merged), or named with `--config`.
 *
 *     { "rules": { "P2012": "off" }, "attestationType": "SgxEnclave", "ignore": ["drafts/**"] }
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { ATTESTATION_TYPES, LineIndex, isAttestationType, isConfigurableCode, suggest, type AttestationType, type RuleLevel } from "@maa-policy/core";
import { InputError } from "../command.js";
import { describeFsError, globToRegExp } from "../util/files.js";

/** The name of the configuration file. */
export const CONFIG_FILE_NAME = "maa-policy.config.json";

/** The levels a rule can be set to. */
export const RULE_LEVELS: readonly RuleLevel[] = ["error", "warning", "info", "off"];

/** A loaded configuration file. */
export interface LintConfig {
  /** The absolute path of the file, or undefined for the empty default configuration. */
  readonly path: string | undefined;
  readonly rules: Readonly<Record<string, RuleLevel>>;
  readonly attestationType: AttestationType | undefined;
  /** Glob patterns, relative to the configuration file's directory. */
  readonly ignore: readonly string[];
}

/** The configuration used when no file is found. */
export const EMPTY_CONFIG: LintConfig = { path: undefined, rules: {}, attestationType: undefined, ignore: [] };

/** Parses and validates the text of a configuration file; mistakes become `InputError`s naming the file. */
export function parseConfig(text: string, file: string, shownPath: string): LintConfig {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    const at = /position (\d+)/.exec(msg);
    const where = at ? new LineIndex(text).position(Number(at[1])) : undefined;
    const loc = where ? `:${where.line + 1}:${where.character + 1}` : "";
    throw new InputError(`${shownPath}${loc}: invalid JSON: ${msg.replace(/ in JSON at position \d+.*$/, "").replace(/^JSON\.parse: /, "")}`);
  }
  if (json === null || typeof json !== "object" || Array.isArray(json)) throw new InputError(`${shownPath}: the configuration must be a JSON object`);
  const obj = json as Record<string, unknown>;
  for (const key of Object.keys(obj)) {
    if (!["rules", "attestationType", "ignore", "$schema"].includes(key)) {
      const guess = suggest(key, ["rules", "attestationType", "ignore"]);
      throw new InputError(`${shownPath}: unknown setting \`${key}\`${guess ? ` (did you mean \`${guess}\`?)` : ""}`);
    }
  }
  const rules: Record<string, RuleLevel> = {};
  if (obj["rules"] !== undefined) {
    const r = obj["rules"];
    if (r === null || typeof r !== "object" || Array.isArray(r)) throw new InputError(`${shownPath}: \`rules\` must be an object of code → level`);
    for (const [code, level] of Object.entries(r as Record<string, unknown>)) {
      rules[code] = validateRule(code, level, `${shownPath}: rules`);
    }
  }
  let attestationType: AttestationType | undefined;
  const at = obj["attestationType"];
  if (at !== undefined && at !== null) {
    if (typeof at !== "string") throw new InputError(`${shownPath}: \`attestationType\` must be a string`);
    attestationType = validateAttestationType(at, `${shownPath}: attestationType`);
  }
  const ignore: string[] = [];
  if (obj["ignore"] !== undefined) {
    const ig = obj["ignore"];
    if (!Array.isArray(ig) || ig.some((p) => typeof p !== "string")) throw new InputError(`${shownPath}: \`ignore\` must be an array of glob patterns`);
    ignore.push(...(ig as string[]));
  }
  return { path: file, rules, attestationType, ignore };
}

/** Checks one `code → level` setting. */
export function validateRule(code: string, level: unknown, where: string): RuleLevel {
  if (!isConfigurableCode(code)) {
    throw new InputError(`${where}: \`${code}\` is not a configurable diagnostic code (check codes P2xxx and syntax warnings)`);
  }
  if (typeof level !== "string" || !(RULE_LEVELS as readonly string[]).includes(level)) {
    throw new InputError(`${where}: the level of \`${code}\` must be one of ${RULE_LEVELS.join(", ")} (got \`${String(level)}\`)`);
  }
  return level as RuleLevel;
}

/** Checks an attestation type name. */
export function validateAttestationType(name: string, where: string): AttestationType {
  if (isAttestationType(name)) return name;
  const guess = suggest(name, ATTESTATION_TYPES);
  throw new InputError(`${where}: unknown attestation type \`${name}\`${guess ? ` (did you mean \`${guess}\`?)` : `: expected one of ${ATTESTATION_TYPES.join(", ")}`}`);
}

/** Reads and validates a configuration file. */
export async function loadConfig(file: string, shownPath: string): Promise<LintConfig> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (e) {
    throw new InputError(`${shownPath}: cannot read: ${describeFsError(e)}`);
  }
  return parseConfig(text, file, shownPath);
}

/** Finds configuration files by walking up from directories, caching what each directory resolves to. */
export class ConfigResolver {
  private readonly byDir = new Map<string, Promise<string | undefined>>();
  private readonly loaded = new Map<string, Promise<LintConfig>>();

  constructor(private readonly exists: (file: string) => Promise<boolean>, private readonly show: (file: string) => string) {}

  /** The configuration that applies to files in `dir`. */
  async forDirectory(dir: string): Promise<LintConfig> {
    const file = await this.find(path.resolve(dir));
    if (file === undefined) return EMPTY_CONFIG;
    let p = this.loaded.get(file);
    if (!p) {
      p = loadConfig(file, this.show(file));
      this.loaded.set(file, p);
    }
    return p;
  }

  private find(dir: string): Promise<string | undefined> {
    let p = this.byDir.get(dir);
    if (!p) {
      p = (async () => {
        const candidate = path.join(dir, CONFIG_FILE_NAME);
        if (await this.exists(candidate)) return candidate;
        const parent = path.dirname(dir);
        return parent === dir ? undefined : this.find(parent);
      })();
      this.byDir.set(dir, p);
    }
    return p;
  }
}

/**
 * Whether `file` is ignored by the patterns of `config`. A pattern with a `/` matches the path
 * relative to the configuration file's directory (or one of its parent directories); a pattern
 * without one matches any single file or directory name.
 */
export function isIgnored(file: string, config: LintConfig): boolean {
  if (config.ignore.length === 0 || config.path === undefined) return false;
  const rel = path.relative(path.dirname(config.path), file).split(path.sep).join("/");
  if (rel.startsWith("../")) return false;
  const segments = rel.split("/");
  return config.ignore.some((pattern) => {
    const p = pattern.replace(/^\.\//, "").replace(/\/$/, "");
    const re = globToRegExp(p);
    if (p.includes("/")) {
      for (let k = 1; k <= segments.length; k++) if (re.test(segments.slice(0, k).join("/"))) return true;
      return false;
    }
    return segments.some((s) => re.test(s));
  });
}
