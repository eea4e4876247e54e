/**
 * `check(text, options)`: the linter's entry point. Parses the text, runs every check on the
 * tree, applies inline suppressions and the rule configuration, and returns the sorted
 * diagnostics (syntax and checks together). Never throws: a check that fails unexpectedly is
 * reported as an internal error (P9001) and the others still run.
 */
import { isAttestationType, type AttestationType } from "../claims/catalog.js";
import { catalog, isDiagnosticCode } from "../diagnostics/catalog/index.js";
import { diagnostic, sortDiagnostics, type Diagnostic, type Severity } from "../diagnostics/diagnostic.js";
import type { PolicyFile, Rule } from "../syntax/ast.js";
import { parse, type ParseResult } from "../syntax/parse.js";
import { KNOWN_VERSIONS } from "../syntax/tokens.js";
import { range } from "../text/text-range.js";
import type { Expr, Node, NodeKind } from "../syntax/ast.js";
import type { CheckContext, NodeInRule, RuleEntry } from "./context.js";
import { clearBindingsCache } from "./bindings.js";
import { clearFactsCache } from "./facts.js";
import { inferAttestationType } from "./infer-attestation-type.js";
import { CHECKS } from "./registry.js";
import { applySuppressions, parseSuppressions } from "./suppression.js";

// CAUTION: public API
/** The level a rule can be configured to. */
export type RuleLevel = "error" | "warning" | "info" | "off";

// CAUTION: public API
/** Options of `check`. */
export interface CheckOptions {
  /** Per-code severity overrides (`{ "P2012": "off", "P2028": "error" }`). Unknown codes are ignored. */
  readonly rules?: Readonly<Record<string, RuleLevel>> | undefined;
  /** The attestation type the policy is for; inferred from the claims it tests when absent. */
  readonly attestationType?: AttestationType | undefined;
}

// CAUTION: public API
/** The result of `check`. */
export interface CheckResult {
  readonly file: PolicyFile;
  /** Syntax and check diagnostics, configured, with suppressions applied, sorted by position. */
  readonly diagnostics: Diagnostic[];
  /** The attestation type given, or inferred from the claims the policy tests. */
  readonly attestationType: AttestationType | undefined;
}

/** Whether `code` may be reconfigured: every check code, and syntax codes that are not errors. */
export function isConfigurableCode(code: string): boolean {
  if (!isDiagnosticCode(code)) return false;
  const entry = catalog[code];
  return entry.phase === "check" || (entry.phase === "syntax" && entry.severity !== "error");
}

/** Lints a policy text. Never throws. */
export function check(text: string, options: CheckOptions = {}): CheckResult {
  return checkParsed(text, parse(text), options);
}

/**
 * `check` of a text already parsed (`parsed` must be `parse(text)`, or a result equal to it such
 * as the language server's incremental re-parse). Never throws.
 */
export function checkParsed(text: string, parsed: ParseResult, options: CheckOptions = {}): CheckResult {
  const file = parsed.file;
  const given = options.attestationType !== undefined && isAttestationType(options.attestationType) ? options.attestationType : undefined;
  const attestationType = given ?? inferAttestationType(file);
  const found: Diagnostic[] = [];
  const rules = ruleEntries(file);
  const index = nodeIndex(rules);
  const ctx: CheckContext = {
    text,
    file,
    version: effectiveVersion(file),
    attestationType,
    rules,
    syntaxDiagnostics: parsed.diagnostics,
    nodes: <K extends NodeKind>(kind: K) => (index.get(kind) ?? []) as unknown as readonly NodeInRule<Extract<Node, { kind: K }>>[],
    report: (d) => found.push(d),
  };
  for (const c of CHECKS) {
    try {
      c.run(ctx);
    } catch (e) {
      found.push(
        diagnostic("P9001", range(0, 0), `internal error in check ${c.code}: ${e instanceof Error ? e.message : String(e)}`),
      );
    }
  }
  clearBindingsCache();
  clearFactsCache();
  const { suppressions, diagnostics: suppressionProblems } = parseSuppressions(file, text);
  const all = applySuppressions([...parsed.diagnostics, ...found, ...suppressionProblems], suppressions, text);
  return { file, diagnostics: sortDiagnostics(configure(all, options.rules)), attestationType };
}

function configure(diagnostics: readonly Diagnostic[], rules: CheckOptions["rules"]): Diagnostic[] {
  if (!rules) return [...diagnostics];
  const out: Diagnostic[] = [];
  for (const d of diagnostics) {
    const level = Object.prototype.hasOwnProperty.call(rules, d.code) ? rules[d.code] : undefined;
    if (level === undefined || !isConfigurableCode(d.code)) {
      out.push(d);
      continue;
    }
    if (level === "off") continue;
    out.push({ ...d, severity: level as Severity });
  }
  return out;
}

function effectiveVersion(file: PolicyFile): { major: number; minor: number } {
  const v = file.version;
  if (v && v.major !== undefined && v.minor !== undefined && (KNOWN_VERSIONS as readonly string[]).includes(v.value)) {
    return { major: v.major, minor: v.minor };
  }
  if (!v || v.major === undefined) return { major: 1, minor: 2 };
  return { major: 1, minor: 2 };
}

function ruleEntries(file: PolicyFile): RuleEntry[] {
  const out: RuleEntry[] = [];
  for (const section of file.sections) {
    let index = 0;
    for (const r of section.rules) {
      if (r.kind !== "Rule") continue;
      out.push({ rule: r as Rule, section, sectionName: section.name, index: index++ });
    }
  }
  return out;
}

/** Every node inside a rule, grouped by kind, in source order: one traversal that every check shares. */
function nodeIndex(rules: readonly RuleEntry[]): Map<NodeKind, NodeInRule<Node>[]> {
  const out = new Map<NodeKind, NodeInRule<Node>[]>();
  let rule: Rule;
  const add = (node: Node) => {
    let list = out.get(node.kind);
    if (!list) {
      list = [];
      out.set(node.kind, list);
    }
    list.push({ node, rule });
  };
  const expr = (e: Expr) => {
    add(e);
    if (e.kind === "ValueRef") add(e.identifier);
    else if (e.kind === "Call") for (const a of e.args) expr(a);
  };
  for (const entry of rules) {
    rule = entry.rule;
    add(rule);
    for (const c of rule.conditions) {
      add(c);
      if (c.binding) add(c.binding);
      for (const t of c.tests) {
        add(t);
        if (t.kind === "Test") expr(t.operand);
      }
    }
    const action = rule.action;
    add(action);
    if (action.kind === "Action") {
      for (const a of action.args) {
        add(a);
        expr(a.value);
      }
    }
  }
  return out;
}
