/**
 * Finding what is under the cursor in a syntax tree: the node path, the rule and the section.
 */
import { nodePathAt, type Node, type Rule, type Section } from "@maa-policy/core";
import type { Analysis } from "../analysis.js";

/** The nodes around an offset, innermost last, with the enclosing section and rule. */
export interface NodeContext {
  readonly path: readonly Node[];
  readonly section: Section | undefined;
  readonly rule: Rule | undefined;
  readonly node: Node;
}

/** The node context at `offset`. */
export function nodeContextAt(a: Analysis, offset: number): NodeContext {
  const path = nodePathAt(a.file, offset);
  let section: Section | undefined;
  let rule: Rule | undefined;
  for (const n of path) {
    if (n.kind === "Section") section = n;
    else if (n.kind === "Rule") rule = n;
  }
  return { path, section, rule, node: path[path.length - 1] as Node };
}

/** Whether `offset` lies in the range (ends inclusive). */
export function within(r: { start: number; end: number }, offset: number): boolean {
  return r.start <= offset && offset <= r.end;
}
