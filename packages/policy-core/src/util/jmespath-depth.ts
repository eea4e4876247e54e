/**
 * The nesting budget of JMESPath queries, shared by the linter and the evaluator. The JMESPath
 * library parses a chain such as `a.a.a…` iteratively but builds a syntax tree as deep as the
 * chain is long, and its interpreter walks that tree recursively: a query nested deeper than
 * `MAX_QUERY_DEPTH` is refused before anything walks it, so no phase overflows the stack.
 */

/** The deepest JMESPath syntax tree accepted (levels of nesting). */
export const MAX_QUERY_DEPTH = 256;

/** The depth of a JMESPath syntax tree, measured without recursion; stops counting past `limit`. */
export function queryDepth(ast: unknown, limit = MAX_QUERY_DEPTH): number {
  let max = 0;
  const stack: { node: unknown; depth: number }[] = [{ node: ast, depth: 1 }];
  while (stack.length > 0) {
    const { node, depth } = stack.pop() as { node: unknown; depth: number };
    if (node === null || typeof node !== "object") continue;
    if (depth > max) max = depth;
    if (max > limit) return max;
    if (Array.isArray(node)) {
      for (const x of node) stack.push({ node: x, depth });
      continue;
    }
    for (const [k, v] of Object.entries(node as Record<string, unknown>)) {
      // A literal's value is data, not syntax.
      if (k !== "value" && v !== null && typeof v === "object") stack.push({ node: v, depth: depth + 1 });
    }
  }
  return max;
}

/** The message for a query nested too deeply. */
export function tooDeepMessage(): string {
  return `the query is nested more than ${MAX_QUERY_DEPTH} levels deep (a chain such as \`a.b.c…\` counts one level per part)`;
}
