/**
 * Properties of the formatter on random valid policies (syntax trees from the shared arbitrary,
 * printed and then scattered with random whitespace):
 * - it keeps the tree (ignoring positions) and is idempotent, at any width and indentation;
 * - with a unique `//m-N` comment between every pair of tokens, every comment is kept, in order;
 * - the formatted policy evaluates exactly as the original on random claim sets.
 */
import fc from "fast-check";
import { claimToJson, compile, evaluate, format, hasErrors, parse, printPolicy, tokenize, type EvalResult, type InputClaim } from "@maa-policy/core";
import { astEquals } from "@maa-policy/core/testing";
import { describe, expect, test } from "vitest";
import { policyAstArb } from "../support/arbitraries.js";
import { sameTree } from "../../packages/policy-core/src/format/format.js";
import { claimsArb, randomPolicy } from "./support/policy-gen.js";

const RUNS = 150;

const WORDY = /[A-Za-z0-9_]$/;
const WORD_START = /^[A-Za-z0-9_-]/;

/** Re-joins the tokens of `text` with the separators produced by `sep` (a space where two words meet). */
function relayout(text: string, sep: (i: number) => string): string {
  const tokens = tokenize(text).tokens.map((t) => t.image);
  let out = sep(0);
  tokens.forEach((t, i) => {
    if (i > 0) {
      let s = sep(i);
      if (s === "" && WORDY.test(tokens[i - 1] as string) && WORD_START.test(t)) s = " ";
      out += s;
    }
    out += t;
  });
  return out + sep(tokens.length);
}

const layoutArb = fc.array(fc.constantFrom("", " ", "  ", "\n", "\t", "\r\n", "\n\n    ", " \n"), { minLength: 1, maxLength: 40 });
const optionsArb = fc.record({
  width: fc.constantFrom(20, 40, 80, 100, 120),
  indent: fc.constantFrom(2, 4, "tab" as const),
  endOfLine: fc.constantFrom("lf" as const, "crlf" as const, "auto" as const),
});

/** A random valid policy text in a random layout. */
const policyTextArb = fc.tuple(policyAstArb, layoutArb).map(([ast, seps]) => relayout(printPolicy(ast), (i) => seps[i % seps.length] as string));

describe("formatter properties", () => {
  test("keeps the tree and is idempotent", () => {
    fc.assert(
      fc.property(policyTextArb, optionsArb, (text, options) => {
        const before = parse(text);
        expect(hasErrors(before.diagnostics)).toBe(false);
        const once = format(text, options);
        expect(once.diagnostics).toEqual([]);
        const after = parse(once.text);
        expect(hasErrors(after.diagnostics)).toBe(false);
        expect(astEquals(before.file, after.file)).toBe(true);
        expect(format(once.text, options).text).toBe(once.text);
      }),
      { numRuns: RUNS },
    );
  });

  test("a unique comment between every pair of tokens: all kept, in order, idempotent", () => {
    const placement = fc.array(fc.constantFrom("", " ", "\n", "\n\n", "\n  "), { minLength: 1, maxLength: 17 });
    fc.assert(
      fc.property(policyAstArb, placement, optionsArb, (ast, where, options) => {
        let n = 0;
        const text = relayout(printPolicy(ast), (i) => `${where[i % where.length] as string}//m-${n++}\n`);
        const expected = Array.from({ length: n }, (_, i) => `//m-${i}`);
        expect(parse(text).file.comments.map((c) => c.text)).toEqual(expected);
        const once = format(text, options);
        expect(once.diagnostics).toEqual([]);
        const after = parse(once.text);
        expect(after.file.comments.map((c) => c.text)).toEqual(expected);
        expect(astEquals(parse(text).file, after.file)).toBe(true);
        expect(format(once.text, options).text).toBe(once.text);
      }),
      { numRuns: RUNS },
    );
  });

  test("zero to two comments per gap, some of them `maa-policy-format off|on` directives: all kept, in order, idempotent", () => {
    const gapArb = fc.array(fc.tuple(fc.constantFrom("", " ", "\n", "\n\n", "\n  ", "\t"), fc.constantFrom("m", "m", "m", "off", "on")), { maxLength: 2 });
    const sepArb = fc.array(fc.constantFrom("", " ", "\n", "\n\n", "  "), { minLength: 1, maxLength: 7 });
    fc.assert(
      fc.property(policyAstArb, fc.array(gapArb, { minLength: 1, maxLength: 23 }), sepArb, optionsArb, (ast, gaps, seps, options) => {
        const tokens = tokenize(printPolicy(ast)).tokens.map((t) => t.image);
        let n = 0;
        const expected: string[] = [];
        let text = "";
        for (let i = 0; i <= tokens.length; i++) {
          let s = seps[i % seps.length] as string;
          for (const [before, kind] of gaps[i % gaps.length] as [string, string][]) {
            const c = kind === "m" ? `//m-${n++}` : `// maa-policy-format ${kind} ${n++}`;
            expected.push(c);
            s += `${before}${c}\n`;
          }
          if (s === "" && i > 0 && i < tokens.length && WORDY.test(tokens[i - 1] as string) && WORD_START.test(tokens[i] as string)) s = " ";
          text += s + (tokens[i] ?? "");
        }
        const once = format(text, options);
        expect(once.diagnostics).toEqual([]);
        const after = parse(once.text);
        expect(after.file.comments.map((c) => c.text)).toEqual(expected);
        expect(astEquals(parse(text).file, after.file)).toBe(true);
        expect(format(once.text, options).text).toBe(once.text);
      }),
      { numRuns: RUNS },
    );
  });

  test("the safety check's tree comparison is astEquals", () => {
    fc.assert(
      fc.property(policyAstArb, policyAstArb, layoutArb, (x, y, seps) => {
        const a = parse(printPolicy(x)).file;
        const b = parse(printPolicy(y)).file;
        const a2 = parse(relayout(printPolicy(x), (i) => seps[i % seps.length] as string)).file;
        expect(sameTree(a, b)).toBe(astEquals(a, b));
        expect(sameTree(a, a2)).toBe(true);
        expect(astEquals(a, a2)).toBe(true);
      }),
      { numRuns: RUNS },
    );
  });

  test("the safety check's tree comparison is astEquals on trees that differ in one token", () => {
    // A token of a random policy replaced by another (a value, a name, an operator, a bracket…):
    // the two trees are mostly alike, and differ in one field or one kind, or have error nodes.
    const replacementArb = fc.constantFrom('"x"', '"y"', "1", "2", "0x1", "true", "false", "c", "d", "==", "!=", ">=", "type", "value", "issuer", "issue", "add", "!", "[", "]", ",", "(", ")", "JmesPath", "&&", ";", "");
    fc.assert(
      fc.property(policyAstArb, fc.nat(), replacementArb, (x, at, replacement) => {
        const text = printPolicy(x);
        const tokens = tokenize(text).tokens;
        const t = tokens[at % tokens.length];
        if (!t) return;
        const mutated = text.slice(0, t.startOffset) + replacement + text.slice(t.startOffset + t.image.length);
        const a = parse(text).file;
        const b = parse(mutated).file;
        expect(sameTree(a, b)).toBe(astEquals(a, b));
        expect(sameTree(b, b)).toBe(true);
      }),
      { numRuns: RUNS * 4 },
    );
  });

  test("the formatted policy evaluates as the original on random claim sets", () => {
    const snapshot = (r: EvalResult) =>
      JSON.stringify({
        decision: r.decision,
        incoming: r.incoming.map(claimToJson),
        outgoing: r.outgoing.map(claimToJson),
        properties: r.properties.map(claimToJson),
        token: r.token,
        diagnostics: r.diagnostics.map((d) => [d.code, d.severity]),
      });
    fc.assert(
      fc.property(fc.gen(), fc.array(claimsArb, { minLength: 1, maxLength: 4 }), layoutArb, optionsArb, (g, claimSets, seps, options) => {
        const text = relayout(randomPolicy(g), (i) => seps[i % seps.length] as string);
        const formatted = format(text, options);
        expect(formatted.diagnostics).toEqual([]);
        const a = compile(text, { lint: false }).policy;
        const b = compile(formatted.text, { lint: false }).policy;
        expect(b === undefined).toBe(a === undefined);
        if (a === undefined || b === undefined) return;
        for (const claims of claimSets) {
          expect(snapshot(evaluate(b, claims as InputClaim[]))).toBe(snapshot(evaluate(a, claims as InputClaim[])));
        }
      }),
      { numRuns: RUNS },
    );
  });
});
