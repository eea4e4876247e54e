/**
 * The server's settings: the `maa-policy` section of the client's configuration, overridden by a
 * `maa-policy.config.json` file found by walking up from the policy's directory.
 *
 * The keys mirror the VS Code extension's `contributes.configuration`:
 * `maa-policy.rules`, `maa-policy.attestationType`, `maa-policy.format.width`,
 * `maa-policy.format.indent`, `maa-policy.evaluate.claimsFile`, `maa-policy.trace.server`.
 */
import { readFile } from "node:fs/promises";
import { dirname, join } from "node:path";

/** The configuration section the server reads. */
export const SETTINGS_SECTION = "maa-policy";
/** The project configuration file name, looked up from the policy's directory upwards. */
export const CONFIG_FILE_NAME = "maa-policy.config.json";

export { DEFAULT_SETTINGS, type RuleLevel, type ServerSettings, type TraceLevel } from "./settings-defaults.js";
import { DEFAULT_SETTINGS, type RuleLevel, type ServerSettings } from "./settings-defaults.js";

const LEVELS: readonly string[] = ["error", "warning", "info", "off"];

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Reads a value that may be given nested (`{format: {width}}`) or flat (`{"format.width": …}`). */
function pick(raw: Record<string, unknown>, path: string): unknown {
  if (Object.prototype.hasOwnProperty.call(raw, path)) return raw[path];
  let cur: unknown = raw;
  for (const part of path.split(".")) {
    if (!isRecord(cur)) return undefined;
    cur = cur[part];
  }
  return cur;
}

/**
 * Validates a raw settings object (the client's `maa-policy` section, or a config file) over
 * `base`: every well-typed key overrides; ill-typed keys are ignored and described in `problems`.
 */
export function mergeSettings(
  base: ServerSettings,
  raw: unknown,
  problems: string[] = [],
): ServerSettings {
  if (!isRecord(raw)) return base;
  let rules: Record<string, RuleLevel> = { ...base.rules };
  const r = pick(raw, "rules");
  if (isRecord(r)) {
    for (const [code, level] of Object.entries(r)) {
      if (typeof level === "string" && LEVELS.includes(level)) rules[code] = level as RuleLevel;
      else problems.push(`rules: \`${code}\`: expected one of error, warning, info, off`);
    }
  } else if (r !== undefined && r !== null) {
    problems.push("rules: expected an object of code to level");
  }
  if (Object.keys(rules).length === 0) rules = {};
  let attestationType = base.attestationType;
  const at = pick(raw, "attestationType");
  if (typeof at === "string") attestationType = at.trim() === "" ? undefined : at.trim();
  else if (at === null) attestationType = undefined;
  let width = base.format.width;
  const w = pick(raw, "format.width");
  if (typeof w === "number" && Number.isInteger(w) && w >= 20 && w <= 1000) width = w;
  else if (w !== undefined && w !== null) problems.push("format.width: expected an integer from 20 to 1000");
  let indent = base.format.indent;
  const ind = pick(raw, "format.indent");
  if (ind === "tab" || (typeof ind === "number" && Number.isInteger(ind) && ind >= 1 && ind <= 16)) indent = ind;
  else if (ind !== undefined && ind !== null) problems.push("format.indent: expected a number from 1 to 16 or \"tab\"");
  let claimsFile = base.evaluate.claimsFile;
  const cf = pick(raw, "evaluate.claimsFile");
  if (typeof cf === "string") claimsFile = cf.trim() === "" ? undefined : cf;
  let traceServer = base.trace.server;
  const ts = pick(raw, "trace.server");
  if (ts === "off" || ts === "messages" || ts === "verbose") traceServer = ts;
  return {
    rules,
    attestationType,
    format: { width, indent },
    evaluate: { claimsFile },
    trace: { server: traceServer },
    configFile: base.configFile,
  };
}

/** Minimal file-system access, injectable for tests. */
export interface SettingsFileSystem {
  readFile(path: string): Promise<string>;
}

/** The real file system. */
export const nodeFileSystem: SettingsFileSystem = {
  readFile: (path) => readFile(path, "utf8"),
};

/** The result of looking for a configuration file. */
export interface ConfigFileResult {
  readonly path: string;
  readonly raw: unknown;
  /** Set when the file exists but is not valid JSON. */
  readonly error?: string;
}

/**
 * Finds the nearest `maa-policy.config.json` from `directory` upwards and reads it, or returns
 * undefined when there is none.
 */
export async function findConfigFile(directory: string, fs: SettingsFileSystem = nodeFileSystem): Promise<ConfigFileResult | undefined> {
  let dir = directory;
  for (let i = 0; i < 64; i++) {
    const candidate = join(dir, CONFIG_FILE_NAME);
    let text: string | undefined;
    try {
      text = await fs.readFile(candidate);
    } catch {
      text = undefined;
    }
    if (text !== undefined) {
      try {
        return { path: candidate, raw: JSON.parse(text) as unknown };
      } catch (e) {
        return { path: candidate, raw: undefined, error: e instanceof Error ? e.message : String(e) };
      }
    }
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return undefined;
}

/**
 * The effective settings of a document: defaults, then the client's section, then the `rules`
 * and `attestationType` of the project's configuration file (the file wins, so that the editor
 * agrees with `maa-policy check`).
 */
export function effectiveSettings(clientSection: unknown, config: ConfigFileResult | undefined, problems: string[] = []): ServerSettings {
  const fromClient = mergeSettings(DEFAULT_SETTINGS, clientSection, problems);
  if (!config) return fromClient;
  if (config.error !== undefined) {
    problems.push(`${config.path}: not valid JSON: ${config.error}`);
    return fromClient;
  }
  // The file is the CLI's (`rules`, `attestationType`, `ignore`): only the linter's keys apply here.
  const raw = typeof config.raw === "object" && config.raw !== null ? (config.raw as Record<string, unknown>) : {};
  const merged = mergeSettings(fromClient, { rules: raw["rules"], attestationType: raw["attestationType"] }, problems);
  return { ...merged, configFile: config.path };
}
