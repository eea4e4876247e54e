/**
 * `check(text, options)`: the linter's entry point. Parses the text, runs every check on the
 * tree, applies inline suppressions and the rule configuration, and returns the sorted
 * diagnostics (syntax and checks together). Never throws: a check that fails unexpectedly is
 * reported as an internal error (P9001) and the others still run.
 */
import { isAttestationType, type AttestationType } from "../claims/catalog.js";
import { catalog, isDiagnosticCode } from "../diagnostics/catalog/index.js";
import { diagnostic, sortDiagnostics, type Diagnostic, type Severity } from "../diagnostics/diagnostic.js";
import type { ErrorNode, PolicyFile, Rule, Section } from "../syntax/ast.js";
import { parse, type ParseResult } from "../syntax/parse.js";
import { pendingOf, shiftValue, type IncrementalParse, type PendingTree } from "../syntax/incremental.js";
import { shiftRule } from "../syntax/shift.js";
import { KNOWN_VERSIONS } from "../syntax/tokens.js";
import { range } from "../text/text-range.js";
import type { Expr, Node, NodeKind } from "../syntax/ast.js";
import type { CheckContext, NodeInRule, RuleEntry } from "./context.js";
import { clearBindingsCache } from "./bindings.js";
import { best, scoreSummaries } from "./infer-attestation-type.js";
import { summarize, type RuleSummary } from "./rule-summary.js";
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
  return fullChecks(text, parsed, pendingOf(parsed.file), options).result;
}

/** `runChecks` without reuse, which always gives a result. */
function fullChecks(text: string, parsed: ParseResult, tree: PendingTree, options: CheckOptions): { result: CheckResult; state: CheckState; incremental: boolean } {
  return runChecks(text, parsed, tree, options, undefined) as { result: CheckResult; state: CheckState; incremental: boolean };
}

// CAUTION: public API
/** A check result that the next version of the text can be checked incrementally from. */
export interface IncrementalCheck {
  readonly parse: IncrementalParse;
  readonly result: CheckResult;
  /** Whether this result was made by re-running the rule-scoped checks on the re-parsed rules only. */
  readonly incremental: boolean;
  /** @internal What the reuse depends on, and each check's diagnostics before suppression and configuration. */
  readonly state: CheckState;
}

interface CheckState {
  readonly attestationType: AttestationType | undefined;
  readonly givenType: AttestationType | undefined;
  readonly versionKey: string;
  /** Per check of `CHECKS`, in order: what it reported. */
  readonly found: readonly (readonly Diagnostic[])[];
  /** The summary of every rule, in source order (reused for the rules the next edit does not touch). */
  readonly summaries: readonly RuleSummary[];
  /** The attestation type inference score of all the rules (updated, not recomputed, after an edit). */
  readonly score: ReadonlyMap<AttestationType, number>;
}

/**
 * `check` of an incrementally re-parsed text (`parse` from `reparse`): when `parse` was re-parsed
 * from `previous.parse`, the rule-scoped checks run on the re-parsed rules only and the other
 * rules' diagnostics are reused (moved by the edit); the other checks run on the whole tree. The
 * result equals `check(parse.text, options)`. Never throws.
 */
export function checkIncrementally(parse: IncrementalParse, previous: IncrementalCheck | undefined, options: CheckOptions = {}): IncrementalCheck {
  const reparsed = parse.reparsed;
  const reuse =
    previous && reparsed !== "full" && reparsed.previousText === previous.parse.text
      ? { previous: previous.state, start: reparsed.start, end: reparsed.end, delta: parse.text.length - previous.parse.text.length }
      : undefined;
  let run: { result: CheckResult; state: CheckState; incremental: boolean } | undefined;
  try {
    run = reuse ? runChecks(parse.text, parse.result, parse.pending, options, reuse) : undefined;
  } catch {
    run = undefined;
  }
  run ??= fullChecks(parse.text, parse.result, parse.pending, options);
  return { parse, result: run.result, incremental: run.incremental, state: run.state };
}

interface Reuse {
  readonly previous: CheckState;
  /** The re-parsed run `[start, end)` of the new text. */
  readonly start: number;
  readonly end: number;
  readonly delta: number;
}

/** Where a diagnostic lies relative to the re-parsed run of the old text: before, inside, after, or across. */
function region(d: Diagnostic, start: number, oldEnd: number): "before" | "inside" | "after" | "across" {
  let before = true;
  let after = true;
  let inside = true;
  const see = (r: { start: number; end: number }) => {
    if (r.start === r.end && (r.start === start || r.start === oldEnd)) before = after = inside = false;
    if (r.end > start) before = false;
    if (r.start < oldEnd) after = false;
    if (r.start < start || r.end > oldEnd) inside = false;
  };
  see(d.range);
  for (const e of d.fix?.edits ?? []) see(e.range);
  for (const r of d.related ?? []) see(r.range);
  return before ? "before" : after ? "after" : inside ? "inside" : "across";
}

function runChecks(
  text: string,
  parsed: ParseResult,
  tree: PendingTree,
  options: CheckOptions,
  reuse: Reuse | undefined,
): { result: CheckResult; state: CheckState; incremental: boolean } | undefined {
  // The checks see the pending tree's file: its sections, version and comments are where they
  // are; its rules are read through the rule entries only.
  const file = tree.file;
  const given = options.attestationType !== undefined && isAttestationType(options.attestationType) ? options.attestationType : undefined;
  const version = effectiveVersion(file);
  const versionKey = `${version.major}.${version.minor}:${file.version ? `${file.version.value}@${file.version.range.start}-${file.version.range.end}` : "none"}`;
  const rules = ruleEntries(tree);
  // The rules outside the re-parsed run are the previous ones (moved after it): their summaries
  // are reused, and only the re-parsed rules get new ones.
  let dirtyFrom = 0;
  let dirtyTo = rules.length;
  let summaries: RuleSummary[] | undefined;
  let score: Map<AttestationType, number> | undefined;
  if (reuse) {
    dirtyFrom = firstIndex(rules, (e) => e.end > reuse.start);
    dirtyTo = firstIndex(rules, (e) => e.start >= reuse.end, dirtyFrom);
    for (let i = dirtyFrom; i < dirtyTo; i++) {
      const e = rules[i] as RuleEntry;
      if (e.start < reuse.start || e.end > reuse.end) return undefined;
    }
    summaries = reuseSummaries(reuse.previous.summaries, rules, dirtyFrom, dirtyTo, text);
    if (summaries) {
      // The previous score, without the rules the edit replaced and with the re-parsed ones.
      const p = reuse.previous.summaries;
      score = scoreSummaries(new Map(reuse.previous.score), p, dirtyFrom, p.length - (rules.length - dirtyTo), -1);
      scoreSummaries(score, summaries, dirtyFrom, dirtyTo, 1);
    }
  }
  if (!summaries || !score) {
    dirtyFrom = 0;
    dirtyTo = rules.length;
    summaries = rules.map((e) => summarize(e.rule, text));
    score = scoreSummaries(new Map(), summaries, 0, summaries.length, 1);
  }
  const attestationType = given ?? best(score);
  let incremental = false;
  if (reuse) {
    const p = reuse.previous;
    const versionBefore = !file.version || file.version.range.end <= reuse.start;
    incremental = p.attestationType === attestationType && p.givenType === given && p.versionKey === versionKey && versionBefore;
  }
  const dirty = incremental ? rules.slice(dirtyFrom, dirtyTo) : rules;
  const dirtySummaries = incremental ? summaries.slice(dirtyFrom, dirtyTo) : summaries;
  let index: Map<NodeKind, NodeInRule<Node>[]> | undefined;
  let dirtyIndex: Map<NodeKind, NodeInRule<Node>[]> | undefined;
  let sink: Diagnostic[] = [];
  const base = {
    text,
    file,
    version,
    attestationType,
    syntaxDiagnostics: parsed.diagnostics,
    report: (d: Diagnostic) => sink.push(d),
  };
  const ctx: CheckContext = {
    ...base,
    rules,
    summaries,
    textWindow: range(0, text.length),
    nodes: <K extends NodeKind>(kind: K) => ((index ??= nodeIndex(rules)).get(kind) ?? []) as unknown as readonly NodeInRule<Extract<Node, { kind: K }>>[],
  };
  const dirtyCtx: CheckContext = {
    ...base,
    rules: dirty,
    summaries: dirtySummaries,
    textWindow: reuse ? range(reuse.start, reuse.end) : range(0, text.length),
    nodes: <K extends NodeKind>(kind: K) => ((dirtyIndex ??= nodeIndex(dirty)).get(kind) ?? []) as unknown as readonly NodeInRule<Extract<Node, { kind: K }>>[],
  };
  const perCheck: Diagnostic[][] = [];
  let failed = false;
  for (const [k, c] of CHECKS.entries()) {
    sink = [];
    // Rule-scoped checks look at the re-parsed rules only, text-scoped ones at the re-parsed run
    // of the text (an incremental parse has no syntax diagnostic, which they depend on).
    const local = incremental && (c.scope === "rule" || c.scope === "text");
    try {
      c.run(local ? dirtyCtx : ctx);
    } catch (e) {
      failed = true;
      sink.push(diagnostic("P9001", range(0, 0), `internal error in check ${c.code}: ${e instanceof Error ? e.message : String(e)}`));
    }
    if (local && reuse) {
      const oldEnd = reuse.end - reuse.delta;
      const before: Diagnostic[] = [];
      const after: Diagnostic[] = [];
      for (const d of reuse.previous.found[k] ?? []) {
        const where = region(d, reuse.start, oldEnd);
        if (where === "across" || d.code === "P9001") return undefined;
        if (where === "before") before.push(d);
        else if (where === "after") after.push(shiftValue(d, reuse.delta));
      }
      sink = before.length === 0 && after.length === 0 ? sink : [...before, ...sink, ...after];
    }
    perCheck.push(sink);
  }
  clearBindingsCache();
  if (failed && incremental) return undefined;
  const found: Diagnostic[] = [];
  for (const list of perCheck) for (const d of list) found.push(d);
  const { suppressions, diagnostics: suppressionProblems } = parseSuppressions(file, text, rules);
  const all = applySuppressions([...parsed.diagnostics, ...found, ...suppressionProblems], suppressions, text);
  const diagnostics = sortDiagnostics(configure(all, options.rules));
  return {
    // The tree with every rule moved, made on first use (the language server publishes the
    // diagnostics without it).
    result: {
      get file() {
        return parsed.file;
      },
      diagnostics,
      attestationType,
    },
    state: { attestationType, givenType: given, versionKey, found: perCheck, summaries, score },
    incremental,
  };
}

/**
 * The summaries of `rules` from the previous run's: those before `from` are the same rules, those
 * from `to` on the previous last ones (moved by `delta`); the rules in between are summarised
 * anew. Undefined when the previous summaries do not line up with the rules.
 */
function reuseSummaries(previous: readonly RuleSummary[], rules: readonly RuleEntry[], from: number, to: number, text: string): RuleSummary[] | undefined {
  const after = rules.length - to;
  const previousAfter = previous.length - after;
  if (previousAfter < from) return undefined;
  const out = new Array<RuleSummary>(rules.length);
  for (let i = 0; i < from; i++) {
    const s = previous[i] as RuleSummary;
    const e = rules[i] as RuleEntry;
    if (s.length !== e.end - e.start) return undefined;
    out[i] = s;
  }
  for (let i = from; i < to; i++) out[i] = summarize((rules[i] as RuleEntry).rule, text);
  for (let i = to; i < rules.length; i++) {
    const s = previous[previousAfter + (i - to)] as RuleSummary;
    const e = rules[i] as RuleEntry;
    if (s.length !== e.end - e.start) return undefined;
    out[i] = s;
  }
  return out;
}

/** The first index from `from` whose element satisfies `pred` (which must be monotone), or the length. */
function firstIndex<T>(xs: readonly T[], pred: (x: T) => boolean, from = 0): number {
  let lo = from;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (pred(xs[mid] as T)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
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

function ruleEntries(tree: PendingTree): RuleEntry[] {
  const out: RuleEntry[] = [];
  for (const { section, offsets } of tree.sections) {
    let index = 0;
    for (let i = 0; i < section.rules.length; i++) {
      const r = section.rules[i] as Rule | ErrorNode;
      if (r.kind !== "Rule") continue;
      const d = offsets ? (offsets[i] as number) : 0;
      out.push(d === 0 ? { rule: r, section, sectionName: section.name, index: index++, start: r.range.start, end: r.range.end } : new MovedRule(r, d, section, index++));
    }
  }
  return out;
}

/** The entry of a rule not moved yet: it is moved when first read. */
class MovedRule implements RuleEntry {
  readonly sectionName: Section["name"];
  readonly start: number;
  readonly end: number;
  private moved: Rule | undefined;

  constructor(
    private readonly unmoved: Rule,
    private readonly delta: number,
    readonly section: Section,
    readonly index: number,
  ) {
    this.sectionName = section.name;
    this.start = unmoved.range.start + delta;
    this.end = unmoved.range.end + delta;
  }

  get rule(): Rule {
    return (this.moved ??= shiftRule(this.unmoved, this.delta) as Rule);
  }
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
