/**
 * A plain printer from AST to text: one rule per line, no comments, no line breaking.
 *
 * It is the inverse of `parse` for error-free trees (`parse(printPolicy(ast))` equals `ast`
 * ignoring ranges), which the property tests rely on. The formatter is the layout-aware printer.
 */
import { assertNever } from "../util/assert-never.js";
import type { Action, Argument, Condition, Expr, PolicyFile, Rule, Section, Test } from "./ast.js";

/** Escapes a string value as a policy string literal, quotes included. */
export function quoteString(value: string): string {
  return `"${value.replace(/[\\"]/g, (c) => "\\" + c)}"`;
}

/** Prints an expression. */
export function printExpr(e: Expr): string {
  switch (e.kind) {
    case "StringLiteral":
      return quoteString(e.value);
    case "IntegerLiteral":
      return e.raw;
    case "BooleanLiteral":
      return e.value ? "true" : "false";
    case "ValueRef":
      return `${e.identifier.name}.value`;
    case "Identifier":
      return e.name;
    case "Call":
      return `${e.callee}(${e.args.map(printExpr).join(", ")})`;
    case "ErrorNode":
      return "";
    default:
      return assertNever(e);
  }
}

function printTest(t: Test): string {
  return `${t.property ?? t.propertyText}${t.operator}${printExpr(t.operand)}`;
}

/** Prints a condition. */
export function printCondition(c: Condition): string {
  const tests = c.tests.map((t) => (t.kind === "Test" ? printTest(t) : "")).join(", ");
  return `${c.negated ? "!" : ""}${c.binding ? c.binding.name + ":" : ""}[${tests}]`;
}

function printArgument(a: Argument): string {
  return a.name ? `${a.name}=${printExpr(a.value)}` : printExpr(a.value);
}

/** Prints an action. */
export function printAction(a: Action): string {
  return `${a.verb ?? a.verbText}(${a.args.map(printArgument).join(", ")})`;
}

/** Prints a rule, with its `;`. */
export function printRule(r: Rule): string {
  const conds = r.conditions.map(printCondition).join(" && ");
  const action = r.action.kind === "Action" ? printAction(r.action) : "";
  return `${conds}${conds ? " " : ""}=> ${action};`;
}

function printSection(s: Section): string {
  const rules = s.rules.map((r) => (r.kind === "Rule" ? `    ${printRule(r)}\n` : "")).join("");
  return `${s.name ?? s.nameText}\n{\n${rules}};\n`;
}

/** Prints a whole policy without comments. */
export function printPolicy(file: PolicyFile): string {
  const version = file.version ? `version=${file.version.value};\n` : "";
  return version + file.sections.map(printSection).join("");
}
