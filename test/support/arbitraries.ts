/**
 * fast-check arbitraries for policies: valid syntax trees (printed with `printPolicy`) and texts.
 * Shared by the parser, formatter and evaluator property suites.
 */
import fc from "fast-check";
import type { Action, Argument, Condition, Expr, PolicyFile, Rule, Section, Test } from "@maa-policy/core";

const R = { start: 0, end: 0 };

/** Claim-type-like strings, including quotes and backslashes that need escaping. */
export const claimTypeArb = fc.oneof(
  fc.constantFrom("x-ms-sgx-svn", "x-ms-sgx-is-debuggable", "$is-debuggable", "secureBootEnabled", "events", "custom", "é"),
  fc.string({ maxLength: 8 }).filter((s) => !/[\r\n]/.test(s)),
);

const identArb = fc.constantFrom("c", "c1", "c2", "F1", "x_y");

const literalArb: fc.Arbitrary<Expr> = fc.oneof(
  claimTypeArb.map((value): Expr => ({ kind: "StringLiteral", range: R, value })),
  fc.integer({ min: 0, max: 1_000_000 }).map((n): Expr => ({ kind: "IntegerLiteral", range: R, value: n, raw: String(n) })),
  fc.boolean().map((value): Expr => ({ kind: "BooleanLiteral", range: R, value })),
  identArb.map(
    (name): Expr => ({ kind: "ValueRef", range: R, identifier: { kind: "Identifier", range: R, name }, propertyRange: R }),
  ),
);

/** Expressions with nested calls of the six functions. */
export const exprArb: fc.Arbitrary<Expr> = fc.letrec<{ expr: Expr }>((tie) => ({
  expr: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    literalArb,
    fc
      .tuple(
        fc.constantFrom("JmesPath", "JsonToClaimValue", "IsSubsetOf", "AppendString", "NegateBool", "ContainsOnlyValue"),
        fc.array(tie("expr"), { maxLength: 3 }),
      )
      .map(([callee, args]): Expr => ({ kind: "Call", range: R, callee, calleeRange: R, args, parenRange: R })),
  ),
})).expr;

const testArb: fc.Arbitrary<Test> = fc
  .tuple(fc.constantFrom("type", "value", "issuer" as const), fc.constantFrom("==", "!=", "<", "<=", ">", ">=" as const), exprArb)
  .map(([property, operator, operand]) => ({
    kind: "Test",
    range: R,
    property,
    propertyText: property,
    propertyRange: R,
    operator,
    operatorRange: R,
    operand,
  }));

const conditionArb: fc.Arbitrary<Condition> = fc
  .tuple(fc.boolean(), fc.option(identArb, { nil: undefined }), fc.array(testArb, { minLength: 1, maxLength: 3 }))
  .map(([negated, binding, tests]) => ({
    kind: "Condition",
    range: R,
    negated,
    binding: negated || binding === undefined ? undefined : { kind: "Identifier", range: R, name: binding },
    tests,
    bracketRange: R,
  }));

const argArb = (name: Argument["name"], value: fc.Arbitrary<Expr>): fc.Arbitrary<Argument> =>
  value.map((v) => ({ kind: "Argument", range: R, name, nameText: name ?? "", nameRange: R, value: v }));

const actionArb: fc.Arbitrary<Action> = fc.oneof(
  fc.constantFrom("permit", "deny" as const).map((verb): Action => ({ kind: "Action", range: R, verb, verbText: verb, verbRange: R, args: [], parenRange: R })),
  fc
    .tuple(fc.constantFrom("add", "issue", "issueproperty" as const), argArb("type", exprArb), argArb("value", exprArb))
    .map(([verb, t, v]): Action => ({ kind: "Action", range: R, verb, verbText: verb, verbRange: R, args: [t, v], parenRange: R })),
  fc
    .tuple(fc.constantFrom("add", "issue" as const), identArb)
    .map(([verb, name]): Action => ({
      kind: "Action",
      range: R,
      verb,
      verbText: verb,
      verbRange: R,
      args: [{ kind: "Argument", range: R, name: "claim", nameText: "claim", nameRange: R, value: { kind: "Identifier", range: R, name } }],
      parenRange: R,
    })),
);

const ruleArb: fc.Arbitrary<Rule> = fc
  .tuple(fc.array(conditionArb, { maxLength: 3 }), actionArb)
  .map(([conditions, action]) => ({ kind: "Rule", range: R, conditions, arrowRange: R, action }));

const sectionArb = (name: Section["name"] & string): fc.Arbitrary<Section> =>
  fc.array(ruleArb, { maxLength: 4 }).map((rules) => ({ kind: "Section", range: R, name, nameText: name, nameRange: R, rules, bodyRange: R }));

/** Syntactically valid policy trees (not necessarily meaningful: identifiers may be unbound). */
export const policyAstArb: fc.Arbitrary<PolicyFile> = fc
  .tuple(fc.constantFrom("1.0", "1.1", "1.2"), fc.option(sectionArb("configurationrules"), { nil: undefined }), sectionArb("authorizationrules"), fc.option(sectionArb("issuancerules"), { nil: undefined }))
  .map(([value, cfg, authz, iss]) => ({
    kind: "PolicyFile",
    range: R,
    version: { kind: "VersionDecl", range: R, value, valueRange: R, major: Number(value[0]), minor: Number(value[2]) },
    sections: [cfg, authz, iss].filter((s): s is Section => s !== undefined),
    comments: [],
    bom: false,
  }));

// ---------------------------------------------------------------------------------------------
// Hostile inputs (issue 17, item 9): long and deep shapes, 64-bit integers, big strings and JSON.
// The property suites run them with few cases; `npm run bench:fuzz` runs them with many more.

/** How many cases the hostile property suites run (`FUZZ_PROPERTY_RUNS`, default 25). */
export const HOSTILE_RUNS = Number(process.env["FUZZ_PROPERTY_RUNS"] ?? 25);

/** Any signed 64-bit integer. */
export const int64Arb = fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n });

/** A piece repeated up to thousands of times: long strings, long queries, long lines. */
export const repeatedArb = (piece: fc.Arbitrary<string>, max = 5000): fc.Arbitrary<string> =>
  fc.tuple(piece, fc.integer({ min: 1, max })).map(([p, n]) => p.repeat(n));

/** Strings of up to some 100,000 characters, with quotes, backslashes, line breaks and astral characters. */
export const bigStringArb = repeatedArb(fc.string({ maxLength: 20, unit: fc.constantFrom("a", '"', "\\", "\n", "😀", "`", "'", "{", "[", " ", "é") }));

/** JMESPath-like queries, long (thousands of parts) and deep (nested brackets and parentheses). */
export const hostileQueryArb: fc.Arbitrary<string> = fc
  .tuple(
    fc.array(fc.constantFrom("a", " | ", ".", "[", "]", "@", "`", "'", "(", ")", "[?", " == ", "*", ",", "{", "}", ":", "1", " && ", "[@,@]", "b.c", "length(@)"), { maxLength: 12 }),
    fc.integer({ min: 1, max: 3000 }),
    fc.array(fc.constantFrom("a", "]", ")", "}", "`", "'"), { maxLength: 3 }),
  )
  .map(([pieces, n, tail]) => pieces.join("").repeat(n) + tail.join(""));

/** JSON text nested up to thousands of levels, sometimes not closed, around a value. */
export const deepJsonTextArb: fc.Arbitrary<string> = fc
  .tuple(fc.constantFrom("[", '{"a":', '{"x-ms-ver":"1.0","a":['), fc.integer({ min: 1, max: 20_000 }), fc.constantFrom("1", "1.5", "12345678901234567890", '"s"', "null"), fc.boolean())
  .map(([open, n, leaf, closed]) => {
    const close = open === "[" ? "]" : open === '{"a":' ? "}" : "]}";
    return open.repeat(n) + leaf + (closed ? close.repeat(n) : "");
  });

/** JSON values, larger and deeper than the defaults, with integers beyond 2^53 and fractions. */
export const bigJsonArb: fc.Arbitrary<unknown> = fc.jsonValue({ maxDepth: 8, depthSize: "large" });
