/**
 * Generic traversal of the syntax tree.
 *
 * The child-key table is the one place that says which fields of a node hold children, so that
 * walkers, the AST dumper and the range-nesting tests never drift from the types in `ast.ts`.
 */
import type { Node, NodeKind } from "./ast.js";

/** For each node kind, the fields that hold child nodes, in source order. */
export const CHILD_KEYS: { readonly [K in NodeKind]: readonly string[] } = {
  PolicyFile: ["version", "sections"],
  VersionDecl: [],
  Section: ["rules"],
  Rule: ["conditions", "action"],
  Condition: ["binding", "tests"],
  Test: ["operand"],
  Action: ["args"],
  Argument: ["value"],
  StringLiteral: [],
  IntegerLiteral: [],
  BooleanLiteral: [],
  ValueRef: ["identifier"],
  Identifier: [],
  Call: ["args"],
  Comment: [],
  ErrorNode: [],
};

/** The direct children of `node`, in source order (comments are not children). */
export function childrenOf(node: Node): Node[] {
  const out: Node[] = [];
  const rec = node as unknown as Record<string, unknown>;
  for (const key of CHILD_KEYS[node.kind]) {
    const v = rec[key];
    if (v === undefined || v === null) continue;
    if (Array.isArray(v)) {
      for (const c of v) out.push(c as Node);
    } else {
      out.push(v as Node);
    }
  }
  return out;
}

/**
 * Visits `node` and its descendants depth-first in source order. Return `false` from `visit` to
 * skip a node's children. Iterative, so deep trees do not overflow the stack.
 */
export function walk(node: Node, visit: (node: Node, depth: number) => boolean | void): void {
  const stack: [Node, number][] = [[node, 0]];
  while (stack.length > 0) {
    const [n, depth] = stack.pop() as [Node, number];
    if (visit(n, depth) === false) continue;
    const children = childrenOf(n);
    for (let i = children.length - 1; i >= 0; i--) stack.push([children[i] as Node, depth + 1]);
  }
}

/** The innermost node whose range contains `offset` (end inclusive), and its ancestors, outermost first. */
export function nodePathAt(root: Node, offset: number): Node[] {
  const path: Node[] = [];
  let current: Node | undefined = root;
  while (current) {
    path.push(current);
    let next: Node | undefined;
    for (const child of childrenOf(current)) {
      if (child.range.start <= offset && offset <= child.range.end) {
        next = child;
        // Prefer a child that starts exactly at the offset over one that ends there.
        if (child.range.end !== offset) break;
      }
    }
    current = next;
  }
  return path;
}
