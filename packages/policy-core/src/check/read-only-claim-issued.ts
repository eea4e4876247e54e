/**
 * P2025 read-only-claim-issued: an `issue` whose value comes from a read-only claim (`pcrs`),
 * directly (`c.value`, `claim=c`) or through a function or a claim an earlier rule derived from
 * it. Such values may be tested and added, never issued: evaluation fails. No automatic fix.
 */
import { findClaim } from "../claims/catalog.js";
import { diagnostic } from "../diagnostics/diagnostic.js";
import type { Action, Node, Rule } from "../syntax/ast.js";
import type { TextRange } from "../text/text-range.js";
import { walk } from "../syntax/walk.js";
import { actionOf, conditionType, producedType } from "./facts.js";
import type { Check } from "./context.js";

/** Check P2025 `read-only-claim-issued` (see the file comment). */
export const readOnlyClaimIssued: Check = {
  code: "P2025",
  run(ctx) {
    // Claim types whose values derive from a read-only claim: the catalogue's, then what rules add from them.
    const tainted = new Set<string>();
    for (const { rule } of ctx.rules) {
      const action = actionOf(rule);
      if (!action) continue;
      const source = taintSource(rule, action, tainted);
      if (source === undefined) continue;
      if (action.verb === "issue") {
        ctx.report(
          diagnostic("P2025", valueRange(action), `\`issue\` of a value derived from the read-only claim \`${source}\`: it may be tested or added, never issued`),
        );
      } else {
        const t = producedType(rule);
        if (t !== undefined) tainted.add(t);
      }
    }
  },
};

function isTainted(type: string | undefined, tainted: ReadonlySet<string>): boolean {
  if (type === undefined) return false;
  return findClaim(type)?.readOnly === true || tainted.has(type);
}

/** The read-only claim type the action's value derives from, if any. */
function taintSource(rule: Rule, action: Node & { kind: "Action" }, tainted: ReadonlySet<string>): string | undefined {
  const sources = new Map<string, string>();
  for (const c of rule.conditions) {
    const t = conditionType(c);
    if (c.binding && isTainted(t, tainted)) sources.set(c.binding.name, t as string);
  }
  if (sources.size === 0) return undefined;
  let found: string | undefined;
  for (const arg of action.args) {
    if (arg.name !== "value" && arg.name !== "claim") continue;
    walk(arg.value, (n) => {
      if (found !== undefined) return false;
      const name = n.kind === "ValueRef" ? n.identifier.name : n.kind === "Identifier" ? n.name : undefined;
      if (name !== undefined && sources.has(name)) found = sources.get(name);
      return undefined;
    });
  }
  return found;
}

/** The range of the `value=` (or `claim=`) argument of an action, else the action's. */
function valueRange(action: Action): TextRange {
  return action.args.find((a) => a.name === "value" || a.name === "claim")?.range ?? action.range;
}
