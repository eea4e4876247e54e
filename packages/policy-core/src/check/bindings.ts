/**
 * Identifier bindings and uses within one rule, shared by the identifier checks. A condition
 * `c:[…]` binds `c` once that condition has been evaluated: later conditions of the same rule
 * and its action may use `c.value` (or `claim=c`).
 */
import type { Identifier, Node, Rule } from "../syntax/ast.js";
import { walk } from "../syntax/walk.js";

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

const cache = new WeakMap<Rule, { bindings: IdentifierBinding[]; uses: IdentifierUse[] }>();

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
  const collect = (root: Node, position: number) =>
    walk(root, (n) => {
      if (n.kind === "ValueRef") {
        uses.push({ identifier: n.identifier, position });
        return false;
      }
      if (n.kind === "Identifier") uses.push({ identifier: n, position });
      return undefined;
    });
  rule.conditions.forEach((c, i) => {
    if (c.binding) bindings.push({ identifier: c.binding, position: i });
    for (const t of c.tests) collect(t, i);
  });
  collect(rule.action, rule.conditions.length);
  return { bindings, uses };
}
