/**
 * The type of a literal, and the exact conversion of a literal to another type, shared by the
 * checks that compare a literal with a known value type (P2020 for claims, P2039 for
 * configuration properties): `"2"` → `2`, `"-1"` → `-1`, `"true"` → `true`, `2` → `"2"`.
 */
import { fixOf, type Fix } from "../diagnostics/diagnostic.js";
import type { Expr } from "../syntax/ast.js";

/** The value type of a literal expression, or undefined for anything else. */
export function literalType(e: Expr): "String" | "Integer" | "Boolean" | undefined {
  if (e.kind === "StringLiteral") return "String";
  if (e.kind === "IntegerLiteral") return "Integer";
  if (e.kind === "BooleanLiteral") return "Boolean";
  return undefined;
}

/** A fix that rewrites literal `e` as a literal of type `to`, when the conversion is exact. */
export function literalConversion(e: Expr, to: string): Fix | undefined {
  if (e.kind === "StringLiteral") {
    // Up to 15 digits: every such integer is exact in the evaluator and in JSON.
    if (to === "Integer" && /^-?\d{1,15}$/.test(e.value)) return fixOf(`write the integer \`${e.value}\``, e.range, e.value);
    if (to === "Boolean" && (e.value === "true" || e.value === "false")) return fixOf(`write the Boolean \`${e.value}\``, e.range, e.value);
    return undefined;
  }
  if (to === "String" && (e.kind === "IntegerLiteral" || e.kind === "BooleanLiteral")) {
    const s = e.kind === "IntegerLiteral" ? e.raw : String(e.value);
    return fixOf(`write the string \`"${s}"\``, e.range, `"${s}"`);
  }
  return undefined;
}
