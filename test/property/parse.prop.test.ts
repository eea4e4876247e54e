/**
 * Parser properties: it never throws; every range is inside the text and nested in its parent's,
 * without overlapping its siblings;
 * printing a generated tree and parsing it back gives the same tree.
 */
import fc from "fast-check";
import { childrenOf, parse, printPolicy, type Node } from "@maa-policy/core";
import { stripRanges } from "@maa-policy/core/testing";
import { describe, expect, it } from "vitest";
import { policyAstArb } from "../support/arbitraries.js";

function checkRanges(text: string, root: Node): void {
  const stack: Node[] = [root];
  while (stack.length > 0) {
    const n = stack.pop() as Node;
    expect(n.range.start).toBeGreaterThanOrEqual(0);
    expect(n.range.end).toBeLessThanOrEqual(text.length);
    expect(n.range.start).toBeLessThanOrEqual(n.range.end);
    const children = childrenOf(n).sort((x, y) => x.range.start - y.range.start);
    for (const [i, c] of children.entries()) {
      const next = children[i + 1];
      if (next) expect(c.range.end, `${c.kind} overlaps the next ${next.kind}`).toBeLessThanOrEqual(next.range.start);
      expect(c.range.start, `${c.kind} in ${n.kind}`).toBeGreaterThanOrEqual(n.range.start);
      expect(c.range.end, `${c.kind} in ${n.kind}`).toBeLessThanOrEqual(n.range.end);
      stack.push(c);
    }
  }
}

function checkResult(text: string): void {
  const { file, diagnostics } = parse(text);
  checkRanges(text, file);
  for (const d of diagnostics) {
    expect(d.range.start).toBeGreaterThanOrEqual(0);
    expect(d.range.end).toBeLessThanOrEqual(text.length);
    expect(d.message).not.toContain("\n");
    for (const e of d.fix?.edits ?? []) {
      expect(e.range.start).toBeGreaterThanOrEqual(0);
      expect(e.range.end).toBeLessThanOrEqual(text.length);
    }
  }
}

const TOKENS = [
  "version", "=", "1.2", ";", "configurationrules", "authorizationrules", "issuancerules", "{", "}", "[", "]", "(", ")",
  "c", ":", "!", "type", "value", "issuer", "==", "!=", "<", ">=", "=>", "&&", ",", ".", "permit", "deny", "add", "issue",
  "issueproperty", "claim", "valueType", '"x"', '"a\\"b"', "42", "-1", "0xFF", "1.5", "true", "false", "JmesPath",
  "// note\n", "/* c */", "“q”", '"open', "<ph>", "||", "#", "\u0000", "\uFEFF", "\uD800", "\n", " ",
];

describe("parse properties", () => {
  it("never throws on any string and keeps every range in bounds", () => {
    fc.assert(fc.property(fc.string({ unit: "binary", maxLength: 200 }), (s) => checkResult(s)), { numRuns: 300 });
  });

  it("never throws on any sequence of policy tokens", () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...TOKENS), { maxLength: 80 }), fc.constantFrom("", " ", "\n"), (toks, sep) =>
        checkResult(toks.join(sep)),
      ),
      { numRuns: 400 },
    );
  });

  it("never throws on mutations of a valid policy (deleted, duplicated or swapped tokens)", () => {
    fc.assert(
      fc.property(
        policyAstArb,
        fc.array(fc.tuple(fc.constantFrom("delete", "duplicate", "swap"), fc.nat(), fc.nat()), { minLength: 1, maxLength: 4 }),
        (ast, mutations) => {
          const words = printPolicy(ast).split(/(?<=[\s;{}()[\],])|(?=[\s;{}()[\],])/);
          for (const [op, i, j] of mutations) {
            if (words.length === 0) break;
            const a = i % words.length;
            const b = j % words.length;
            if (op === "delete") words.splice(a, 1);
            else if (op === "duplicate") words.splice(a, 0, words[a] as string);
            else [words[a], words[b]] = [words[b] as string, words[a] as string];
          }
          checkResult(words.join(""));
        },
      ),
      { numRuns: 300 },
    );
  });

  it("keeps nothing from one input to the next (one parser instance is reused)", () => {
    // The parser fills its nodes on a stack of open rules; an error that leaves rules by an
    // exception, or a partial statement kept by its caller, must leave nothing behind.
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...TOKENS), { maxLength: 60 }), fc.array(fc.constantFrom(...TOKENS), { maxLength: 60 }), (a, b) => {
        const text = b.join(" ");
        const alone = parse(text);
        parse(a.join(" "));
        expect(parse(text)).toEqual(alone);
      }),
      { numRuns: 200 },
    );
  });

  it("parses the printing of any generated tree back to the same tree", () => {
    fc.assert(
      fc.property(policyAstArb, (ast) => {
        const text = printPolicy(ast);
        const { file, diagnostics } = parse(text);
        expect(diagnostics.filter((d) => d.severity === "error")).toEqual([]);
        expect(stripRanges(file)).toEqual(stripRanges(ast));
        checkRanges(text, file);
      }),
      { numRuns: 300 },
    );
  });
});
