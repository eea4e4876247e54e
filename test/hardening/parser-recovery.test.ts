/**
 * Issue 17, bench:fuzz: the parser's error recovery costs a bounded amount of work per error.
 * Chevrotain computed the tokens that may follow the expected one (for single-token insertion
 * or deletion) by walking the grammar from the top rule on every mismatched token, and built a
 * stack trace twice for each exception it throws to recover; `c:[` repeated after `=> p` took
 * seconds for under 1 KB. These tests count the work (grammar walks, stack traces), not time.
 */
import { parse } from "@maa-policy/core";
import { afterEach, describe, expect, it, vi } from "vitest";
import { policyParser } from "../../packages/policy-core/src/syntax/parser.js";

const repeatedCondition = (n: number) => `version=1.2;\nauthorizationrules { [type=="x"] => p${"c:[".repeat(n)}\n};\n`;

/** Chevrotain's grammar walk for in-rule recovery (11.2.0, `context_assist.js`). */
function countGrammarWalks(text: string): number {
  const parser = policyParser() as unknown as { getNextPossibleTokenTypes(path: unknown): unknown };
  const spy = vi.spyOn(parser, "getNextPossibleTokenTypes");
  try {
    parse(text);
    return spy.mock.calls.length;
  } finally {
    spy.mockRestore();
  }
}

afterEach(() => vi.restoreAllMocks());

describe("parser error recovery (issue 17, bench:fuzz)", () => {
  it("walks the grammar once per grammar path, not once per error", () => {
    // Warm: every path of this shape has been seen once.
    parse(repeatedCondition(3));
    const small = parse(repeatedCondition(10));
    const large = parse(repeatedCondition(200));
    // One error per `c:[` (the checks below keep the recovery itself unchanged)...
    expect(small.diagnostics.filter((d) => d.code === "P1001")).toHaveLength(10);
    expect(large.diagnostics.filter((d) => d.code === "P1001")).toHaveLength(200);
    expect(large.diagnostics[0]?.message).toBe("unexpected `:`: expected `(`");
    expect(large.diagnostics[1]?.message).toBe("unexpected `:`: expected a comparison such as `==`");
    // ...but no grammar walk once the paths are known (before: one walk per error).
    expect(countGrammarWalks(repeatedCondition(10))).toBe(0);
    expect(countGrammarWalks(repeatedCondition(200))).toBe(0);
  });

  it("a grammar path not seen before is walked once, however often its error repeats", () => {
    // A missing comma between arguments, in every rule of a section.
    const text = (n: number) => `version=1.2;\nissuancerules { ${"=> issue(type=\"a\" value=1);\n".repeat(n)}};\n`;
    const first = countGrammarWalks(text(50));
    expect(first).toBeLessThanOrEqual(2);
    expect(countGrammarWalks(text(50))).toBe(0);
  });

  it("builds no stack trace for the exceptions recovery throws, and restores the limit", () => {
    const before = Error.stackTraceLimit;
    const limits: number[] = [];
    const capture = Error.captureStackTrace;
    const spy = vi.spyOn(Error, "captureStackTrace").mockImplementation((target, ctor) => {
      limits.push(Error.stackTraceLimit);
      capture(target, ctor);
    });
    const r = parse(repeatedCondition(50));
    spy.mockRestore();
    expect(r.diagnostics.filter((d) => d.code === "P1001")).toHaveLength(50);
    // Chevrotain's RecognitionException calls captureStackTrace for every exception it throws.
    expect(limits.length).toBeGreaterThanOrEqual(50);
    expect(limits.every((l) => l === 0)).toBe(true);
    expect(Error.stackTraceLimit).toBe(before);
  });
});
