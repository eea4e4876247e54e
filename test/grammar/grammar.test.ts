/**
 * The TextMate grammar (`grammar/`): its caret fixtures pass under `vscode-tmgrammar-test`, every
 * scope it can produce is asserted by some fixture, and its word lists mirror the parser's
 * (`KEYWORDS`, `SECTION_NAMES`, `ACTION_NAMES`, `FUNCTION_NAMES` in `syntax/tokens.ts`).
 */
import { execFile } from "node:child_process";
import { readFileSync, readdirSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { promisify } from "node:util";
import { ACTION_NAMES, FUNCTION_NAMES, KEYWORDS, SECTION_NAMES } from "@maa-policy/core";
import { describe, expect, it } from "vitest";
import { ROOT } from "../support/fixtures.js";

const GRAMMAR_DIR = path.join(ROOT, "grammar");
const GRAMMAR_PATH = path.join(GRAMMAR_DIR, "maa-policy.tmLanguage.json");
const FIXTURE_DIR = path.join(GRAMMAR_DIR, "test");

interface GrammarRule {
  readonly name?: string;
  readonly contentName?: string;
  readonly match?: string;
  readonly begin?: string;
  readonly patterns?: readonly GrammarRule[];
  readonly captures?: Readonly<Record<string, GrammarRule>>;
  readonly beginCaptures?: Readonly<Record<string, GrammarRule>>;
  readonly endCaptures?: Readonly<Record<string, GrammarRule>>;
}

interface Grammar extends GrammarRule {
  readonly scopeName: string;
  readonly repository: Readonly<Record<string, GrammarRule>>;
}

const grammar = JSON.parse(readFileSync(GRAMMAR_PATH, "utf8")) as Grammar;
const fixtures = readdirSync(FIXTURE_DIR)
  .filter((f) => f.endsWith(".policy"))
  .sort();

/** The words of a repository entry whose `match` is `\b(?:w1|w2|…)\b…`. */
function wordsOf(entry: string): string[] {
  const rule = grammar.repository[entry];
  const m = /^\\b\(\?:([A-Za-z|]+)\)\\b/.exec(rule?.match ?? "");
  if (!m?.[1]) throw new Error(`repository entry \`${entry}\` is not a \\b(?:…)\\b word list`);
  return m[1].split("|");
}

/** Every scope name the grammar can assign (`name`, `contentName`, captures), split on spaces. */
function scopesOf(rule: GrammarRule, out = new Set<string>()): Set<string> {
  for (const n of [rule.name, rule.contentName]) for (const s of n?.split(/\s+/) ?? []) if (s) out.add(s);
  for (const p of rule.patterns ?? []) scopesOf(p, out);
  for (const caps of [rule.captures, rule.beginCaptures, rule.endCaptures]) {
    for (const c of Object.values(caps ?? {})) scopesOf(c, out);
  }
  return out;
}

describe("TextMate grammar", () => {
  it("has the scope name source.maa-policy", () => {
    expect(grammar.scopeName).toBe("source.maa-policy");
  });

  it("passes its caret fixtures under vscode-tmgrammar-test", async () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(6);
    const require = createRequire(import.meta.url);
    const pkgDir = path.dirname(require.resolve("vscode-tmgrammar-test/package.json"));
    const pkg = JSON.parse(readFileSync(path.join(pkgDir, "package.json"), "utf8")) as { bin: Record<string, string> };
    const bin = path.join(pkgDir, pkg.bin["vscode-tmgrammar-test"] as string);
    const run = promisify(execFile);
    let stdout: string;
    try {
      ({ stdout } = await run(process.execPath, [bin, "--compact", "-g", GRAMMAR_PATH, path.join(FIXTURE_DIR, "*.policy")], { cwd: ROOT }));
    } catch (e) {
      const err = e as { stdout?: string; stderr?: string };
      throw new Error(`vscode-tmgrammar-test failed:\n${err.stdout ?? ""}${err.stderr ?? ""}`);
    }
    for (const f of fixtures) expect(stdout).toContain(`${f} run successfuly`);
  });

  it("asserts every scope it can produce in some fixture", () => {
    const asserted = new Set<string>();
    for (const f of fixtures) {
      for (const line of readFileSync(path.join(FIXTURE_DIR, f), "utf8").split(/\r?\n/)) {
        const m = /^\/\/\s*(?:\^+|<-+)\s+(.*)$/.exec(line);
        if (!m?.[1]) continue;
        const positive = m[1].split(/\s+-\s+/)[0] ?? "";
        for (const s of positive.split(/\s+/)) if (s) asserted.add(s);
      }
    }
    const produced = [...(grammar.patterns ?? []).flatMap((p) => [...scopesOf(p)]), ...Object.values(grammar.repository).flatMap((r) => [...scopesOf(r)])];
    const missing = [...new Set(produced)].filter((s) => !asserted.has(s)).sort();
    expect(missing).toEqual([]);
  });

  it("names the fixture scope in every fixture header", () => {
    for (const f of fixtures) {
      const first = readFileSync(path.join(FIXTURE_DIR, f), "utf8").split(/\r?\n/)[0];
      expect(first, f).toMatch(/^\/\/ SYNTAX TEST "source\.maa-policy" "/);
    }
  });

  it("lists the parser's section names, actions and functions", () => {
    expect(wordsOf("section-names")).toEqual([...SECTION_NAMES]);
    expect(wordsOf("action-names")).toEqual([...ACTION_NAMES]);
    expect(wordsOf("function-names")).toEqual([...FUNCTION_NAMES]);
  });

  it("lists exactly the parser's keywords", () => {
    const words = new Set(
      ["keyword-version", "section-names", "action-names", "claim-properties", "argument-names", "booleans"].flatMap(wordsOf),
    );
    expect([...words].sort()).toEqual([...new Set<string>(KEYWORDS)].sort());
  });

  it("has a language configuration with // comments and the three bracket pairs", () => {
    const conf = JSON.parse(readFileSync(path.join(GRAMMAR_DIR, "language-configuration.json"), "utf8")) as {
      comments: { lineComment: string };
      brackets: string[][];
      onEnterRules: { beforeText: string; afterText?: string }[];
    };
    expect(conf.comments.lineComment).toBe("//");
    expect(conf.brackets).toEqual([
      ["{", "}"],
      ["[", "]"],
      ["(", ")"],
    ]);
    // Enter after a section's opening brace indents, in both brace styles.
    for (const line of ["authorizationrules {", "{", "    issuancerules{ // rules"]) {
      expect(conf.onEnterRules.some((r) => new RegExp(r.beforeText).test(line)), line).toBe(true);
    }
    expect(conf.onEnterRules.some((r) => new RegExp(r.beforeText).test("    => permit();"))).toBe(false);
  });
});
