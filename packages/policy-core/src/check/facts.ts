/**
 * Small static facts about rules, conditions and expressions that several checks share: the
 * literal claim type a condition tests, the issuer it requires, the claim types a rule adds, the
 * static type of an expression, and a rendering of nodes for duplicate detection.
 */
import { findClaim, type ClaimValueType } from "../claims/catalog.js";
import { FUNCTION_SIGNATURES, type FunctionValueType } from "../functions/signatures.js";
import type { Action, Condition, Expr, Rule, StringLiteral, Test } from "../syntax/ast.js";
import { FUNCTION_NAMES, type FunctionName } from "../syntax/tokens.js";
import type { RuleEntry } from "./context.js";

/** The tests of a condition that parsed (error nodes dropped). */
export function testsOf(condition: Condition): Test[] {
  return condition.tests.filter((t): t is Test => t.kind === "Test");
}

/** The string literal compared with `==` to `property` in a condition, if any (the first one). */
export function literalTest(condition: Condition, property: "type" | "issuer" | "value"): { test: Test; literal: StringLiteral } | undefined {
  for (const t of condition.tests) {
    if (t.kind === "Test" && t.property === property && t.operator === "==" && t.operand.kind === "StringLiteral") return { test: t, literal: t.operand };
  }
  return undefined;
}

/** The claim type a condition tests with `type=="…"`, if it is a literal. */
export function conditionType(condition: Condition): string | undefined {
  return literalValue(condition, "type");
}

/** The issuer a condition requires with `issuer=="…"`, if it is a literal. */
export function conditionIssuer(condition: Condition): string | undefined {
  return literalValue(condition, "issuer");
}

function literalValue(condition: Condition, property: "type" | "issuer"): string | undefined {
  for (const t of condition.tests) {
    if (t.kind === "Test" && t.property === property && t.operator === "==" && t.operand.kind === "StringLiteral") return t.operand.value;
  }
  return undefined;
}

/** The parsed action of a rule, or undefined for an error node or an unknown verb. */
export function actionOf(rule: Rule): Action | undefined {
  return rule.action.kind === "Action" && rule.action.verb !== undefined ? rule.action : undefined;
}

/** The value of the named argument of an action. */
export function argument(action: Action, name: string): Expr | undefined {
  return action.args.find((a) => a.name === name)?.value;
}

/** The literal claim type an `add`, `issue` or `issueproperty` produces, if visible. */
export function producedType(rule: Rule): string | undefined {
  const action = actionOf(rule);
  if (!action || (action.verb !== "add" && action.verb !== "issue" && action.verb !== "issueproperty")) return undefined;
  const t = argument(action, "type");
  return t?.kind === "StringLiteral" ? t.value : undefined;
}

/**
 * The claim types a rule may add to the incoming set. `undefined` in the list means "some type
 * that is not visible statically" (a computed type, or `claim=c`, which re-emits what `c` bound).
 * Computed once per rule, in its summary (`rule-summary.ts`).
 */
export function addedTypesOf(rule: Rule): (string | undefined)[] {
  return [...computeAddedTypes(rule)];
}

function computeAddedTypes(rule: Rule): Set<string | undefined> {
  const out = new Set<string | undefined>();
  const action = actionOf(rule);
  if (!action || (action.verb !== "add" && action.verb !== "issue" && action.verb !== "issueproperty")) return out;
  const claim = argument(action, "claim");
  if (claim) {
    if (claim.kind === "Identifier") {
      const bound = rule.conditions.find((c) => c.binding?.name === claim.name);
      const t = bound ? conditionType(bound) : undefined;
      out.add(t);
    } else out.add(undefined);
    return out;
  }
  out.add(producedType(rule));
  return out;
}

/** Whether `name` is a claim function. */
export function isFunctionName(name: string): name is FunctionName {
  return (FUNCTION_NAMES as readonly string[]).includes(name);
}

/** A static type: a claim value type, a function result type, or unknown. */
export type StaticType = ClaimValueType | FunctionValueType | "Unknown";

/**
 * The static type of an expression, as far as it is visible: literals, `c.value` of a condition
 * testing a catalogued claim type, and function results.
 */
export function staticType(expr: Expr, rule: Rule | undefined): StaticType {
  switch (expr.kind) {
    case "StringLiteral":
      return "String";
    case "IntegerLiteral":
      return "Integer";
    case "BooleanLiteral":
      return "Boolean";
    case "ValueRef": {
      const bound = rule?.conditions.find((c) => c.binding?.name === expr.identifier.name);
      const type = bound ? conditionType(bound) : undefined;
      const info = type !== undefined ? findClaim(type) : undefined;
      if (!info || !bound) return "Unknown";
      // A claim the policy itself added may have any type, whatever its name.
      const issuer = conditionIssuer(bound);
      if (issuer !== undefined && issuer !== "AttestationService") return "Unknown";
      return info.valueType;
    }
    case "Call":
      return isFunctionName(expr.callee) ? FUNCTION_SIGNATURES[expr.callee].returns : "Unknown";
    default:
      return "Unknown";
  }
}

/** Whether a value of static type `actual` can ever be accepted where `expected` is required. */
export function typeAccepts(expected: FunctionValueType, actual: StaticType): boolean {
  if (actual === "Unknown" || actual === "Any" || expected === "Any" || expected === "Set") return true;
  if (expected === "Json" || expected === "String") return actual === "String" || actual === "Json";
  if (actual === "Set") return true;
  return expected === actual;
}

const TRIVIA = /"(?:[^"\\\r\n]|\\.)*"?|\/\/[^\r\n]*|\/\*[\s\S]*?(?:\*\/|$)|\s+/g;

/**
 * The text of a node without whitespace and comments (string literals kept intact), for
 * duplicate detection: two nodes with the same fingerprint are written the same way.
 */
export function fingerprint(text: string, node: { readonly range: { readonly start: number; readonly end: number } }): string {
  const src = text.slice(node.range.start, node.range.end);
  let out = "";
  let last = 0;
  let gap = false;
  for (const m of src.matchAll(TRIVIA)) {
    const code = src.slice(last, m.index);
    if (code) {
      if (gap && /\w$/.test(out) && /^\w/.test(code)) out += " ";
      out += code;
      gap = false;
    }
    if (m[0].charAt(0) === '"') {
      out += m[0];
      gap = false;
    } else gap = true;
    last = m.index + m[0].length;
  }
  const rest = src.slice(last);
  if (rest && gap && /\w$/.test(out) && /^\w/.test(rest)) out += " ";
  return out + rest;
}

/** Whether a rule has no conditions (it always runs). */
export function isUnconditional(rule: Rule): boolean {
  return rule.conditions.length === 0;
}

/** The rules of the named section, in order. */
export function rulesIn(rules: readonly RuleEntry[], section: string): RuleEntry[] {
  return rules.filter((r) => r.sectionName === section);
}

/**
 * Whether a condition can never be true: it requires two different literal values of the same
 * property with `==`, or the same value with `==` and `!=`, or an integer range that is empty.
 */
export function contradiction(condition: Condition): { first: Test; second: Test } | undefined {
  const tests = testsOf(condition);
  for (let i = 0; i < tests.length; i++) {
    for (let j = i + 1; j < tests.length; j++) {
      const a = tests[i] as Test;
      const b = tests[j] as Test;
      if (a.property === undefined || a.property !== b.property) continue;
      if (!isLiteral(a.operand) || !isLiteral(b.operand)) continue;
      if (contradicts(a, b)) return { first: a, second: b };
    }
  }
  return undefined;
}

type Literal = Extract<Expr, { kind: "StringLiteral" | "IntegerLiteral" | "BooleanLiteral" }>;

function isLiteral(e: Expr): e is Literal {
  return e.kind === "StringLiteral" || e.kind === "IntegerLiteral" || e.kind === "BooleanLiteral";
}

function contradicts(a: Test, b: Test): boolean {
  const x = a.operand as Literal;
  const y = b.operand as Literal;
  const same = x.kind === y.kind && x.value === y.value;
  if (a.operator === "==" && b.operator === "==") return !same && x.kind === y.kind;
  if ((a.operator === "==" && b.operator === "!=") || (a.operator === "!=" && b.operator === "==")) return same;
  if (x.kind === "IntegerLiteral" && y.kind === "IntegerLiteral") {
    const lo = Math.max(lowerBound(a), lowerBound(b));
    const hi = Math.min(upperBound(a), upperBound(b));
    return lo > hi;
  }
  return false;
}

function lowerBound(t: Test): number {
  const v = (t.operand as { value: number }).value;
  switch (t.operator) {
    case "==":
    case ">=":
      return v;
    case ">":
      return v + 1;
    default:
      return Number.NEGATIVE_INFINITY;
  }
}

function upperBound(t: Test): number {
  const v = (t.operand as { value: number }).value;
  switch (t.operator) {
    case "==":
    case "<=":
      return v;
    case "<":
      return v - 1;
    default:
      return Number.POSITIVE_INFINITY;
  }
}

/** Whether a rule's conditions can never all be true (one of them is contradictory). */
export function ruleNeverFires(rule: Rule): boolean {
  return rule.conditions.some((c) => !c.negated && contradiction(c) !== undefined);
}
