/**
 * JSON documents that make a JMESPath query select something: for `Events[?Type == 'X'].Data`
 * a document `{"Events":[{"Type":"X","Data":<leaf>}]}`. Covers fields, sub-expressions,
 * indexes, projections, flattening, filters with comparisons (`==`, `!=`, `<`, `<=`, `>`, `>=`
 * against a literal), `&&`, `||`, pipes and `equals_ignore_case`; what it cannot reach (functions
 * of the data, arithmetic, comparisons of two fields …) it leaves unconstrained. Best effort: a
 * witness is a candidate input, and evaluation decides what it does.
 */
import { compile as compileQuery } from "@jmespath-community/jmespath";

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** A value to find at the end of a query's path: any JSON value. */
export type JsonLeaf = Json;
type Node = ReturnType<typeof compileQuery>;

const UNCONSTRAINED = Symbol("unconstrained");
type Shape = Json | typeof UNCONSTRAINED;

function merge(a: Shape, b: Shape): Shape {
  if (a === UNCONSTRAINED) return b;
  if (b === UNCONSTRAINED) return a;
  if (Array.isArray(a) && Array.isArray(b)) {
    const n = Math.max(a.length, b.length);
    const out: Json[] = [];
    for (let i = 0; i < n; i++) out.push(i < a.length && i < b.length ? (merge(a[i] as Json, b[i] as Json) as Json) : ((i < a.length ? a[i] : b[i]) as Json));
    return out;
  }
  if (isObject(a) && isObject(b)) {
    const out: { [k: string]: Json } = { ...a };
    for (const [k, v] of Object.entries(b)) out[k] = Object.prototype.hasOwnProperty.call(out, k) ? (merge(out[k] as Json, v) as Json) : v;
    return out;
  }
  return a;
}

function isObject(v: Shape): v is { [k: string]: Json } {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function element(leaf: Shape): Shape {
  return Array.isArray(leaf) ? (leaf.length > 0 ? (leaf[0] as Json) : UNCONSTRAINED) : leaf;
}

function concrete(s: Shape, fallback: Json): Json {
  return s === UNCONSTRAINED ? fallback : s;
}

function obj(name: string, v: Json): { [k: string]: Json } {
  const o: { [k: string]: Json } = {};
  Object.defineProperty(o, name, { value: v, enumerable: true, writable: true, configurable: true });
  return o;
}

/** A document on which `n` yields `leaf` (or something non-empty when `leaf` is unconstrained). */
function witness(n: Node, leaf: Shape, depth: number): Shape {
  if (depth > 40) return UNCONSTRAINED;
  const d = depth + 1;
  const node = n as unknown as { type: string; [k: string]: unknown };
  const l = node["left"] as Node;
  const r = node["right"] as Node;
  switch (node.type) {
    case "Field":
      return obj(node["name"] as string, concrete(leaf, true));
    case "Identity":
    case "Current":
    case "Root":
      return leaf;
    case "Subexpression":
      return witness(l, witness(r, leaf, d), d);
    case "IndexExpression": {
      const idx = r as unknown as { type: string; value?: number };
      const inner = idx.type === "Index" ? indexArray(idx.value ?? 0, concrete(leaf, true)) : ([concrete(leaf, true)] as Json);
      return witness(l, inner, d);
    }
    case "Index":
      return indexArray((node["value"] as number | undefined) ?? 0, concrete(leaf, true));
    case "Slice":
      return [concrete(element(leaf), true)];
    case "Projection":
      return witness(l, [concrete(witness(r, element(leaf), d), true)], d);
    case "ValueProjection":
      return witness(l, obj("k", concrete(witness(r, element(leaf), d), true)), d);
    case "Flatten":
      return witness(node["child"] as Node, Array.isArray(leaf) ? [leaf] : [[concrete(leaf, true)]], d);
    case "FilterProjection": {
      const cond = node["condition"] as Node;
      const el = merge(witness(r, element(leaf), d), satisfy(cond, d));
      return witness(l, [concrete(el, {})], d);
    }
    case "Pipe":
      return witness(l, witness(r, leaf, d), d);
    case "AndExpression":
    case "OrExpression":
    case "NotExpression":
    case "Comparator":
    case "Function":
      return merge(satisfy(n, d), UNCONSTRAINED);
    default:
      return UNCONSTRAINED;
  }
}

function indexArray(i: number, v: Json): Json {
  const n = i >= 0 ? i + 1 : -i;
  const out: Json[] = [];
  for (let k = 0; k < Math.min(n, 8); k++) out.push(v);
  return out;
}

function literalOf(n: Node): { value: Json } | undefined {
  const node = n as unknown as { type: string; value?: Json };
  return node.type === "Literal" ? { value: node.value as Json } : undefined;
}

function satisfyingValue(op: string, v: Json): Json {
  switch (op) {
    case "EQ":
      return v;
    case "NE":
      return typeof v === "string" ? `${v}-other` : typeof v === "number" ? v + 1 : typeof v === "boolean" ? !v : "other";
    case "GT":
      return typeof v === "number" ? v + 1 : v;
    case "LT":
      return typeof v === "number" ? v - 1 : v;
    default:
      return v;
  }
}

const FLIP: Readonly<Record<string, string>> = { EQ: "EQ", NE: "NE", GT: "LT", LT: "GT", GTE: "LTE", LTE: "GTE" };

/** A document on which the expression `n` is true (or as close as this can tell). */
function satisfy(n: Node, depth: number): Shape {
  if (depth > 40) return UNCONSTRAINED;
  const d = depth + 1;
  const node = n as unknown as { type: string; [k: string]: unknown };
  switch (node.type) {
    case "AndExpression":
      return merge(satisfy(node["left"] as Node, d), satisfy(node["right"] as Node, d));
    case "OrExpression":
      return satisfy(node["left"] as Node, d);
    case "NotExpression":
      return UNCONSTRAINED;
    case "Comparator": {
      const op = node["name"] as string;
      const l = node["left"] as Node;
      const r = node["right"] as Node;
      const rl = literalOf(r);
      if (rl !== undefined) return witness(l, satisfyingValue(op, rl.value), d);
      const ll = literalOf(l);
      if (ll !== undefined) return witness(r, satisfyingValue(FLIP[op] ?? op, ll.value), d);
      return UNCONSTRAINED;
    }
    case "Function": {
      const args = (node["children"] as Node[] | undefined) ?? [];
      const name = node["name"] as string;
      if ((name === "equals_ignore_case" || name === "starts_with" || name === "ends_with") && args.length === 2) {
        const lit = literalOf(args[1] as Node);
        if (lit !== undefined) return witness(args[0] as Node, lit.value, d);
      }
      if (name === "contains" && args.length === 2) {
        const lit = literalOf(args[1] as Node);
        if (lit !== undefined) return witness(args[0] as Node, [lit.value], d);
      }
      return UNCONSTRAINED;
    }
    case "Literal":
      return UNCONSTRAINED;
    default:
      return witness(n, UNCONSTRAINED, d);
  }
}

/**
 * JSON texts on which `query` selects something, one per leaf value (the value found at the end
 * of the path); undefined when the query does not compile or nothing can be derived from it.
 */
export function jmesPathWitnesses(query: string, leaves: readonly JsonLeaf[]): string[] | undefined {
  let ast: Node;
  try {
    ast = compileQuery(query);
  } catch {
    return undefined;
  }
  const out = new Set<string>();
  for (const leaf of leaves) {
    const w = witness(ast, leaf, 0);
    if (w === UNCONSTRAINED) continue;
    out.add(JSON.stringify(w));
  }
  const s = satisfy(ast, 0);
  if (s !== UNCONSTRAINED) out.add(JSON.stringify(s));
  return out.size > 0 ? [...out] : undefined;
}
