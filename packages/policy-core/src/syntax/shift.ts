/**
 * Moving trees by a number of characters: the incremental re-parse reuses the rules after an edit
 * with every range moved by the edit's length change. Copying is specialised per node kind (each
 * node is copied with its own fields, only the ranges replaced), since this runs on every rule
 * after the edit on every keystroke: a generic walk over `Object.keys` costs several times more.
 */
import type { Action, Argument, Comment, Condition, ErrorNode, Expr, Identifier, Rule, Test, VersionDecl } from "./ast.js";
import type { TextRange } from "../text/text-range.js";

/** A range moved by `d`. */
export function shiftRange(r: TextRange, d: number): TextRange {
  return { start: r.start + d, end: r.end + d };
}

function shiftIdentifier(n: Identifier, d: number): Identifier {
  return { ...n, range: shiftRange(n.range, d) };
}

function shiftError(n: ErrorNode, d: number): ErrorNode {
  return { ...n, range: shiftRange(n.range, d) };
}

function shiftExpr(e: Expr, d: number): Expr {
  switch (e.kind) {
    case "StringLiteral":
    case "IntegerLiteral":
    case "BooleanLiteral":
    case "Identifier":
    case "ErrorNode":
      return { ...e, range: shiftRange(e.range, d) } as Expr;
    case "ValueRef":
      return { ...e, range: shiftRange(e.range, d), identifier: shiftIdentifier(e.identifier, d), propertyRange: shiftRange(e.propertyRange, d) };
    case "Call": {
      const args = new Array<Expr>(e.args.length);
      for (let i = 0; i < args.length; i++) args[i] = shiftExpr(e.args[i] as Expr, d);
      return { ...e, range: shiftRange(e.range, d), calleeRange: shiftRange(e.calleeRange, d), args, parenRange: shiftRange(e.parenRange, d) };
    }
  }
}

function shiftTest(t: Test | ErrorNode, d: number): Test | ErrorNode {
  if (t.kind === "ErrorNode") return shiftError(t, d);
  return {
    ...t,
    range: shiftRange(t.range, d),
    propertyRange: shiftRange(t.propertyRange, d),
    operatorRange: shiftRange(t.operatorRange, d),
    operand: shiftExpr(t.operand, d),
  };
}

function shiftCondition(c: Condition, d: number): Condition {
  const tests = new Array<Test | ErrorNode>(c.tests.length);
  for (let i = 0; i < tests.length; i++) tests[i] = shiftTest(c.tests[i] as Test | ErrorNode, d);
  return {
    ...c,
    range: shiftRange(c.range, d),
    binding: c.binding ? shiftIdentifier(c.binding, d) : c.binding,
    tests,
    bracketRange: shiftRange(c.bracketRange, d),
  };
}

function shiftArgument(a: Argument, d: number): Argument {
  return { ...a, range: shiftRange(a.range, d), nameRange: shiftRange(a.nameRange, d), value: shiftExpr(a.value, d) };
}

function shiftAction(a: Action | ErrorNode, d: number): Action | ErrorNode {
  if (a.kind === "ErrorNode") return shiftError(a, d);
  const args = new Array<Argument>(a.args.length);
  for (let i = 0; i < args.length; i++) args[i] = shiftArgument(a.args[i] as Argument, d);
  return { ...a, range: shiftRange(a.range, d), verbRange: shiftRange(a.verbRange, d), args, parenRange: shiftRange(a.parenRange, d) };
}

/** A rule (or an error node in a section body) moved by `d`. */
export function shiftRule(r: Rule | ErrorNode, d: number): Rule | ErrorNode {
  if (r.kind === "ErrorNode") return shiftError(r, d);
  const conditions = new Array<Condition>(r.conditions.length);
  for (let i = 0; i < conditions.length; i++) conditions[i] = shiftCondition(r.conditions[i] as Condition, d);
  return { ...r, range: shiftRange(r.range, d), conditions, arrowRange: shiftRange(r.arrowRange, d), action: shiftAction(r.action, d) };
}

/** A comment moved by `d`. */
export function shiftComment(c: Comment, d: number): Comment {
  return { ...c, range: shiftRange(c.range, d) };
}

/** A version declaration moved by `d`. */
export function shiftVersion(v: VersionDecl, d: number): VersionDecl {
  return { ...v, range: shiftRange(v.range, d), valueRange: shiftRange(v.valueRange, d) };
}
