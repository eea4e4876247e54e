/**
 * Equality of syntax trees that ignores positions.
 */
import type { Node } from "../syntax/ast.js";

const POSITION_KEYS = new Set(["range", "nameRange", "bodyRange", "arrowRange", "bracketRange", "propertyRange", "operatorRange", "verbRange", "parenRange", "calleeRange", "valueRange"]);

/** A deep copy of `node` without any range field, and without comments and the BOM flag. */
export function stripRanges(node: Node | readonly Node[] | undefined): unknown {
  return strip(node);
}

function strip(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(strip);
  if (v === null || typeof v !== "object") return v;
  const out: Record<string, unknown> = {};
  for (const [k, val] of Object.entries(v as Record<string, unknown>)) {
    if (POSITION_KEYS.has(k) || k === "comments" || k === "bom") continue;
    // Integers compare by value, whatever their spelling (`0x10` is `16`).
    if (k === "raw") continue;
    out[k] = strip(val);
  }
  return out;
}

/** Whether two trees are equal ignoring ranges and comments. */
export function astEquals(a: Node, b: Node): boolean {
  return JSON.stringify(strip(a)) === JSON.stringify(strip(b));
}
