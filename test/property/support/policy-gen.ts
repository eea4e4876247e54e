/**
 * Random policies and claim sets for the evaluator's property tests: well-formed policies over a
 * small vocabulary (so that conditions actually match), built imperatively with `fc.gen()`.
 */
import fc from "fast-check";

type Gen = fc.GeneratorValue;

export const CLAIM_TYPES = ["a", "b", "c", "pcrs"] as const;
const ISSUERS = ["AttestationService", "CustomClaim", "AttestationPolicy"] as const;
const STRINGS = ["a", "b", "x", "y", "1", "", "true", "Integer", "String", "Boolean", "[1,\"x\",true]", "{\"a\":[1,2]}", "null", "2", "[", "a[0]", "@", "Contoso"] as const;
const INTEGERS = [0, 1, 2, -1, 100] as const;
const OPS = ["==", "!=", "<", "<=", ">", ">="] as const;
const FUNCTIONS = [
  ["AppendString", 2],
  ["NegateBool", 1],
  ["IsSubsetOf", 2],
  ["ContainsOnlyValue", 2],
  ["JsonToClaimValue", 1],
  ["JmesPath", 2],
] as const;

function pick<T>(g: Gen, xs: readonly T[]): T {
  return xs[g(fc.integer, { min: 0, max: xs.length - 1 })] as T;
}

function str(s: string): string {
  return `"${s.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
}

function expr(g: Gen, bound: readonly string[], depth: number): string {
  const choice = g(fc.integer, { min: 0, max: depth > 0 ? 5 : 3 });
  if (choice === 3 && bound.length > 0) return `${pick(g, bound)}.value`;
  if (choice >= 4) {
    const [name, arity] = pick(g, FUNCTIONS);
    const args = Array.from({ length: arity }, () => expr(g, bound, depth - 1));
    return `${name}(${args.join(", ")})`;
  }
  if (choice === 0) return String(pick(g, INTEGERS));
  if (choice === 1) return g(fc.boolean) ? "true" : "false";
  return str(pick(g, STRINGS));
}

function condition(g: Gen, bound: string[], index: number): string {
  const negated = g(fc.integer, { min: 0, max: 4 }) === 0;
  const bind = !negated && g(fc.boolean);
  const tests: string[] = [];
  const n = g(fc.integer, { min: 0, max: 2 });
  for (let i = 0; i < n; i++) {
    const prop = pick(g, ["type", "type", "value", "issuer"] as const);
    const op = prop === "value" ? pick(g, OPS) : pick(g, ["==", "==", "!="] as const);
    let operand: string;
    if (prop === "type" && g(fc.integer, { min: 0, max: 3 }) > 0) operand = str(pick(g, CLAIM_TYPES));
    else if (prop === "issuer" && g(fc.boolean)) operand = str(pick(g, ISSUERS));
    else operand = expr(g, bound, 1);
    tests.push(`${prop}${op}${operand}`);
  }
  const text = `${negated ? "!" : ""}${bind ? `c${index}:` : ""}[${tests.join(", ")}]`;
  if (bind) bound.push(`c${index}`);
  return text;
}

function action(g: Gen, bound: readonly string[]): string {
  const verb = pick(g, ["permit", "deny", "add", "issue", "issueproperty", "issue", "add"] as const);
  if (verb === "permit" || verb === "deny") return `${verb}()`;
  if (bound.length > 0 && g(fc.integer, { min: 0, max: 4 }) === 0) return `${verb}(claim=${pick(g, bound)})`;
  const type = g(fc.integer, { min: 0, max: 5 }) === 0 ? expr(g, bound, 1) : str(pick(g, CLAIM_TYPES));
  const args = [`type=${type}`, `value=${expr(g, bound, 2)}`];
  if (g(fc.integer, { min: 0, max: 6 }) === 0) args.push(`valueType=${str(pick(g, ["Integer", "String", "Boolean", "Number"] as const))}`);
  if (g(fc.integer, { min: 0, max: 6 }) === 0) args.push(`issuer=${str(pick(g, ISSUERS))}`);
  return `${verb}(${args.join(", ")})`;
}

function rule(g: Gen): string {
  const bound: string[] = [];
  const n = g(fc.integer, { min: 0, max: 2 });
  const conds = Array.from({ length: n }, (_, i) => condition(g, bound, i));
  return `${conds.join(" && ")} => ${action(g, bound)};`;
}

/** A random well-formed version 1.2 policy. */
export function randomPolicy(g: Gen): string {
  const section = (name: string, max: number) => {
    const n = g(fc.integer, { min: 0, max });
    return `${name} {\n${Array.from({ length: n }, () => "    " + rule(g)).join("\n")}\n};\n`;
  };
  let text = "version=1.2;\n";
  if (g(fc.boolean)) text += section("configurationrules", 2);
  text += section("authorizationrules", 3);
  if (g(fc.integer, { min: 0, max: 4 }) > 0) text += section("issuancerules", 5);
  return text;
}

/** A random claim (type from a small set, so that conditions match). */
export const claimArb = fc.record(
  {
    type: fc.constantFrom(...CLAIM_TYPES),
    value: fc.oneof(fc.constantFrom(...INTEGERS), fc.boolean(), fc.constantFrom(...STRINGS)),
    issuer: fc.constantFrom(...ISSUERS),
  },
  { requiredKeys: ["type", "value"] },
);

/** A random claim set. */
export const claimsArb = fc.array(claimArb, { maxLength: 6 });
