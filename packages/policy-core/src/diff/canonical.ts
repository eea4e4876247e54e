/**
 * Structural equivalence of two policies, shown without evaluating anything: each policy is
 * brought to a canonical form that forgets what cannot change a decision or an issued claim
 * (layout, comments, the names of claim variables, the order of the tests of a condition and of
 * the arguments of an action, bindings never used, and the order of rules that cannot affect one
 * another), and the two forms are compared.
 *
 * Two rules of a section commute when neither adds a claim the other could read (a condition,
 * negated or not, reads the claims of the type its `type=="…"` test names, or every claim when it
 * has none) and they add no claim of the same type. Every rule of a section is evaluated whatever
 * the others did (a failure anywhere is a failure of the whole evaluation), so swapping two
 * commuting rules changes neither the decision nor the claims (only the order of claims of
 * different types). The canonical order is the smallest order, rule by rule, that keeps every
 * pair of non-commuting rules in their original order: the same for any two orders that differ
 * by swaps of commuting rules.
 */
import type { Action, Condition, Expr, PolicyFile, Rule, Test } from "../syntax/ast.js";
import { quoteString } from "../syntax/print.js";
import type { SectionName } from "../syntax/tokens.js";

/** How far the canonical form goes. */
export interface CanonicalOptions {
  /** Rename claim variables by position, sort tests and arguments, drop unused bindings. */
  readonly rename: boolean;
  /** Put commuting rules in canonical order. */
  readonly reorder: boolean;
}

/** A policy in canonical form: its version and, per section, one string per rule. */
export interface CanonicalPolicy {
  readonly version: string;
  readonly sections: Readonly<Record<SectionName, readonly string[]>>;
}

/** The sections in evaluation order. */
export const SECTION_ORDER: readonly SectionName[] = ["configurationrules", "authorizationrules", "issuancerules"];

const ANY = "*";

/** The claim types a rule reads and the claim types its action adds (`*`: any type). */
interface Effects {
  readonly reads: ReadonlySet<string>;
  readonly writes: ReadonlySet<string>;
}

function typeKey(c: Condition): string | undefined {
  for (const t of c.tests) {
    if (t.kind === "Test" && t.property === "type" && t.operator === "==" && t.operand.kind === "StringLiteral") return t.operand.value;
  }
  return undefined;
}

/** Whether a verb adds claims that later rules see (in every section: `issue` in authorizationrules behaves as `add`). */
function adds(verb: Action["verb"]): boolean {
  return verb === "add" || verb === "issue" || verb === "issueproperty";
}

function ruleEffects(r: Rule): Effects {
  const reads = new Set<string>();
  for (const c of r.conditions) reads.add(typeKey(c) ?? ANY);
  const writes = new Set<string>();
  const a = r.action;
  if (a.kind === "Action" && adds(a.verb)) {
    const claimArg = a.args.find((x) => x.name === "claim");
    if (claimArg !== undefined) {
      const name = claimArg.value.kind === "Identifier" ? claimArg.value.name : undefined;
      const bound = r.conditions.find((c) => c.binding?.name === name);
      writes.add(bound ? (typeKey(bound) ?? ANY) : ANY);
    } else {
      const typeArg = a.args.find((x) => x.name === "type");
      writes.add(typeArg !== undefined && typeArg.value.kind === "StringLiteral" ? typeArg.value.value : ANY);
    }
  }
  return { reads, writes };
}

function meets(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  if (a.size === 0 || b.size === 0) return false;
  if (a.has(ANY) || b.has(ANY)) return true;
  for (const x of a) if (b.has(x)) return true;
  return false;
}

/** Whether two rules of one section can be swapped without changing any outcome. */
export function commute(a: Effects, b: Effects): boolean {
  return !meets(a.writes, b.reads) && !meets(b.writes, a.reads) && !meets(a.writes, b.writes);
}

/** The names a rule reads through `c.value` or `claim=c`, per condition index (-1: the action). */
function usedNames(r: Rule): Set<string> {
  const used = new Set<string>();
  const visit = (e: Expr): void => {
    if (e.kind === "ValueRef") used.add(e.identifier.name);
    else if (e.kind === "Identifier") used.add(e.name);
    else if (e.kind === "Call") e.args.forEach(visit);
  };
  for (const c of r.conditions) for (const t of c.tests) if (t.kind === "Test") visit(t.operand);
  if (r.action.kind === "Action") for (const a of r.action.args) visit(a.value);
  return used;
}

function literalOnly(c: Condition): boolean {
  return c.tests.every((t) => t.kind === "Test" && (t.operand.kind === "StringLiteral" || t.operand.kind === "IntegerLiteral" || t.operand.kind === "BooleanLiteral"));
}

function printExprWith(e: Expr, name: (n: string) => string): string {
  switch (e.kind) {
    case "StringLiteral":
      return quoteString(e.value);
    case "IntegerLiteral":
      return e.raw.replace(/^(-?)0+(?=\d)/, "$1");
    case "BooleanLiteral":
      return e.value ? "true" : "false";
    case "ValueRef":
      return `${name(e.identifier.name)}.value`;
    case "Identifier":
      return name(e.name);
    case "Call":
      return `${e.callee}(${e.args.map((x) => printExprWith(x, name)).join(",")})`;
    case "ErrorNode":
      return "<error>";
  }
}

function printTestWith(t: Test, name: (n: string) => string): string {
  return `${t.property ?? t.propertyText}${t.operator}${printExprWith(t.operand, name)}`;
}

/** One rule in canonical form. */
export function canonicalRule(r: Rule, options: CanonicalOptions): string {
  const used = usedNames(r);
  const id = (n: string): string => n;
  let conditions = [...r.conditions];
  const bindingOf = (c: Condition): string | undefined => {
    const b = c.binding?.name;
    if (b === undefined) return undefined;
    return options.rename && !used.has(b) ? undefined : b;
  };
  const shape = (c: Condition, name: (n: string) => string): string => {
    const tests = c.tests.map((t) => (t.kind === "Test" ? printTestWith(t, name) : "<error>"));
    if (options.rename) tests.sort();
    const b = bindingOf(c);
    return `${c.negated ? "!" : ""}${b !== undefined ? name(b) + ":" : ""}[${tests.join(",")}]`;
  };
  if (options.rename) {
    // Adjacent conditions whose tests are all literals cannot fail on evaluation and read nothing
    // bound by another: their order does not matter. Sort each run by its shape (names hidden).
    const hidden = (): string => "_";
    const out: Condition[] = [];
    let run: Condition[] = [];
    const flush = (): void => {
      run.sort((a, b) => (shape(a, hidden) < shape(b, hidden) ? -1 : shape(a, hidden) > shape(b, hidden) ? 1 : 0));
      out.push(...run);
      run = [];
    };
    for (const c of conditions) {
      if (literalOnly(c)) run.push(c);
      else {
        flush();
        out.push(c);
      }
    }
    flush();
    conditions = out;
  }
  const names = new Map<string, string>();
  const name = options.rename
    ? (n: string): string => {
        let m = names.get(n);
        if (m === undefined) {
          m = `v${names.size}`;
          names.set(n, m);
        }
        return m;
      }
    : id;
  const conds = conditions.map((c) => shape(c, name)).join("&&");
  let action = "<error>";
  if (r.action.kind === "Action") {
    const args = r.action.args.map((a) => `${a.name ?? ""}=${printExprWith(a.value, name)}`);
    if (options.rename) args.sort();
    action = `${r.action.verb ?? r.action.verbText}(${args.join(",")})`;
  }
  return `${conds}=>${action}`;
}

/** The canonical form of a parsed policy (use it on error-free trees). */
export function canonicalPolicy(file: PolicyFile, options: CanonicalOptions): CanonicalPolicy {
  const sections: Record<SectionName, string[]> = { configurationrules: [], authorizationrules: [], issuancerules: [] };
  for (const s of file.sections) {
    if (s.name === undefined) continue;
    const rules = s.rules.filter((r): r is Rule => r.kind === "Rule");
    const texts = rules.map((r) => canonicalRule(r, options));
    if (!options.reorder) {
      sections[s.name].push(...texts);
      continue;
    }
    const name = s.name;
    const effects = rules.map(ruleEffects);
    // Greedy smallest-first topological order of the "must stay before" relation.
    const before: number[][] = rules.map(() => []);
    for (let j = 0; j < rules.length; j++) {
      for (let i = 0; i < j; i++) if (!commute(effects[i] as Effects, effects[j] as Effects)) (before[j] as number[]).push(i);
    }
    const placed = new Array<boolean>(rules.length).fill(false);
    for (let k = 0; k < rules.length; k++) {
      let best = -1;
      for (let j = 0; j < rules.length; j++) {
        if (placed[j] || !(before[j] as number[]).every((i) => placed[i])) continue;
        if (best === -1 || (texts[j] as string) < (texts[best] as string)) best = j;
      }
      placed[best] = true;
      sections[name].push(texts[best] as string);
    }
  }
  return { version: file.version?.value ?? "1.2", sections };
}

/** Whether two canonical forms are equal. */
export function sameCanonical(a: CanonicalPolicy, b: CanonicalPolicy): boolean {
  if (a.version !== b.version) return false;
  for (const s of SECTION_ORDER) {
    const x = a.sections[s];
    const y = b.sections[s];
    if (x.length !== y.length || x.some((r, i) => r !== y[i])) return false;
  }
  return true;
}

/** The result of the structural comparison. */
export interface StructuralResult {
  /** Whether the two policies are equivalent by structure alone. */
  readonly equivalent: boolean;
  /** Whether the two texts are identical. */
  readonly identical: boolean;
  /** What differs between two equivalent policies, one phrase each; empty when identical or not equivalent. */
  readonly notes: readonly string[];
}

/** Compares two error-free parsed policies by structure. */
export function structuralCompare(oldText: string, oldFile: PolicyFile, newText: string, newFile: PolicyFile): StructuralResult {
  if (oldText === newText) return { equivalent: true, identical: true, notes: [] };
  const plain: CanonicalOptions = { rename: false, reorder: false };
  if (sameCanonical(canonicalPolicy(oldFile, plain), canonicalPolicy(newFile, plain))) {
    return { equivalent: true, identical: false, notes: ["the rules are the same: only layout and comments differ"] };
  }
  const renamed: CanonicalOptions = { rename: true, reorder: false };
  const notes: string[] = ["layout and comments may differ"];
  if (sameCanonical(canonicalPolicy(oldFile, renamed), canonicalPolicy(newFile, renamed))) {
    notes.push("claim variables are renamed, or tests, literal conditions or arguments are in another order, or unused bindings differ");
    return { equivalent: true, identical: false, notes };
  }
  const full: CanonicalOptions = { rename: true, reorder: true };
  if (sameCanonical(canonicalPolicy(oldFile, full), canonicalPolicy(newFile, full))) {
    notes.push("claim variables, tests and arguments may be renamed or reordered");
    notes.push("rules are in another order where their order cannot matter (no rule reads a claim type the other adds)");
    return { equivalent: true, identical: false, notes };
  }
  return { equivalent: false, identical: false, notes: [] };
}
