/**
 * Inlay hints: parameter names before the arguments of function calls, and the value type of
 * `c.value` when the condition binding `c` tests a claim type the catalogue knows.
 */
import { FUNCTION_SIGNATURES, findClaim, walk, type Condition, type FunctionName, type TextRange } from "@maa-policy/core";
import * as lsp from "vscode-languageserver";
import type { Analysis } from "../analysis.js";
import { toPosition } from "../convert/to-lsp.js";

/** The claim type a condition tests with `type=="…"`, if any. */
function testedType(c: Condition): string | undefined {
  for (const t of c.tests) {
    if (t.kind === "Test" && t.property === "type" && t.operator === "==" && t.operand.kind === "StringLiteral") return t.operand.value;
  }
  return undefined;
}

/** The hints within `range`. */
export function inlayHints(a: Analysis, range: TextRange): lsp.InlayHint[] {
  const out: lsp.InlayHint[] = [];
  for (const section of a.file.sections) {
    if (section.range.end < range.start || section.range.start > range.end) continue;
    for (const rule of section.rules) {
      if (rule.kind !== "Rule" || rule.range.end < range.start || rule.range.start > range.end) continue;
      const bound = new Map<string, string>();
      for (const c of rule.conditions) {
        if (c.binding) {
          const t = testedType(c);
          if (t !== undefined) bound.set(c.binding.name, t);
        }
      }
      walk(rule, (node) => {
        if (node.kind === "Call" && Object.prototype.hasOwnProperty.call(FUNCTION_SIGNATURES, node.callee)) {
          const sig = FUNCTION_SIGNATURES[node.callee as FunctionName];
          node.args.forEach((arg, i) => {
            const p = sig.params[i];
            if (!p || arg.kind === "ErrorNode" || arg.range.start === arg.range.end) return;
            if (arg.kind === "ValueRef" && arg.identifier.name === p.name) return;
            out.push({ position: toPosition(a.lineIndex, arg.range.start), label: `${p.name}:`, kind: lsp.InlayHintKind.Parameter, paddingRight: true });
          });
        } else if (node.kind === "ValueRef") {
          const type = bound.get(node.identifier.name);
          const claim = type !== undefined ? findClaim(type) : undefined;
          if (claim) {
            out.push({
              position: toPosition(a.lineIndex, node.range.end),
              label: `: ${claim.valueType}`,
              kind: lsp.InlayHintKind.Type,
              paddingLeft: false,
              tooltip: `\`${node.identifier.name}\` holds \`${claim.type}\` claims`,
            });
          }
        }
        return undefined;
      });
    }
  }
  return out.filter((h) => {
    const o = a.lineIndex.offset(h.position);
    return o >= range.start && o <= range.end;
  });
}
