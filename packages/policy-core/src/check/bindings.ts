/**
 * Identifier bindings and uses within one rule, shared by the identifier checks. A condition
 * `c:[…]` binds `c` once that condition has been evaluated: later conditions of the same rule
 * and its action may use `c.value` (or `claim=c`).
 */
import type { Expr, Identifier, Rule } from "../syntax/ast.js";

/** One use of an identifier. */
export interface IdentifierUse {
  readonly identifier: Identifier;
  /** The index of the condition it appears in, or `conditions.length` for the action. */
  readonly position: number;
}

/** One binding of an identifier. */
export interface IdentifierBinding {
  readonly identifier: Identifier;
  /** The index of the binding condition. */
  readonly position: number;
}

// A plain map emptied by `check()` after each run: a long-lived WeakMap with thousands of keys
// makes every garbage collection slower (ephemeron tables).
const cache = new Map<Rule, { bindings: IdentifierBinding[]; uses: IdentifierUse[] }>();

/** Forgets the memoised bindings (called by `check()` when a run ends). */
export function clearBindingsCache(): void {
  cache.clear();
}

/** The bindings and uses of identifiers in a rule, in source order (computed once per rule). */
export function bindingsOf(rule: Rule): { bindings: IdentifierBinding[]; uses: IdentifierUse[] } {
  let hit = cache.get(rule);
  if (!hit) {
    hit = computeBindings(rule);
    cache.set(rule, hit);
  }
  return hit;
}

function computeBindings(rule: Rule): { bindings: IdentifierBinding[]; uses: IdentifierUse[] } {
  const bindings: IdentifierBinding[] = [];
  const uses: IdentifierUse[] = [];
  const collect = (e: Expr, position: number): void => {
    if (e.kind === "ValueRef") uses.push({ identifier: e.identifier, position });
    else if (e.kind === "Identifier") uses.push({ identifier: e, position });
    else if (e.kind === "Call") for (const a of e.args) collect(a, position);
  };
  rule.conditions.forEach((c, i) => {
    if (c.binding) bindings.push({ identifier: c.binding, position: i });
    for (const t of c.tests) if (t.kind === "Test") collect(t.operand, i);
  });
  if (rule.action.kind === "Action") for (const a of rule.action.args) collect(a.value, rule.conditions.length);
  return { bindings, uses };
}
