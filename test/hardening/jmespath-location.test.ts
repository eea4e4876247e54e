/**
 * Issue 17, items 1 and 3: locating a JMESPath error costs a logarithmic number of parser and
 * lexer runs (compiling every prefix made a 16 KB policy take seconds), and a query nested too
 * deeply (`a.a.a…` in 20,000 parts) is one diagnostic where the query is, not internal errors.
 * The JMESPath library is wrapped to count its runs: no timing.
 */
import { check, compile, evaluate } from "@maa-policy/core";
import * as jmespath from "@jmespath-community/jmespath";
import { beforeEach, describe, expect, it, vi } from "vitest";

vi.mock("@jmespath-community/jmespath", async (importOriginal) => {
  const m = await importOriginal<typeof import("@jmespath-community/jmespath")>();
  return { ...m, compile: vi.fn(m.compile), tokenize: vi.fn(m.tokenize) };
});

const compileCalls = () => vi.mocked(jmespath.compile).mock.calls.length;
const tokenizeCalls = () => vi.mocked(jmespath.tokenize).mock.calls.length;

const policyWithQuery = (query: string) =>
  `version=1.2;\nauthorizationrules\n{\n    c:[type=="x"] => add(type="y", value=JmesPath(c.value, "${query}"));\n    => permit();\n};\n`;

beforeEach(() => {
  vi.mocked(jmespath.compile).mockClear();
  vi.mocked(jmespath.tokenize).mockClear();
});

describe("locating a JMESPath error (item 1)", () => {
  it("finds a parser error at the end of a long query with a logarithmic number of parser runs", () => {
    const query = `${"a | ".repeat(4000)}a ]`;
    const text = policyWithQuery(query);
    const r = check(text);
    const p2016 = r.diagnostics.filter((d) => d.code === "P2016");
    expect(p2016).toHaveLength(1);
    const at = text.indexOf("a ]") + 2;
    expect(p2016[0]?.range).toEqual({ start: at, end: at + 1 });
    // log2(8001 tokens) is 13; a few runs more for the whole query.
    expect(compileCalls()).toBeLessThanOrEqual(24);
  });

  it("finds an unterminated JSON literal at the start of a long query with a logarithmic number of lexer runs", () => {
    const query = `a | \`x${" y".repeat(8000)}`;
    const text = policyWithQuery(query);
    const p2016 = check(text).diagnostics.filter((d) => d.code === "P2016");
    expect(p2016).toHaveLength(1);
    expect(p2016[0]?.message).toMatch(/unterminated JSON literal/);
    expect(p2016[0]?.range.start).toBe(text.indexOf("`x"));
    expect(tokenizeCalls()).toBeLessThanOrEqual(24);
  });

  it("still points at the first bad token when an error sits early in a long query", () => {
    const query = `a | b c${" | a".repeat(3000)}`;
    const text = policyWithQuery(query);
    const p2016 = check(text).diagnostics.filter((d) => d.code === "P2016");
    expect(p2016).toHaveLength(1);
    expect(p2016[0]?.range.start).toBe(text.indexOf(" c |") + 1);
    expect(compileCalls()).toBeLessThanOrEqual(24);
  });
});

describe("a query nested too deeply (item 3)", () => {
  const deep = Array(20_000).fill("a").join(".");

  it("is one P2016 covering the query, and no internal error", () => {
    const text = policyWithQuery(deep);
    const r = check(text);
    expect(r.diagnostics.filter((d) => d.code.startsWith("P9"))).toEqual([]);
    const p2016 = r.diagnostics.filter((d) => d.code === "P2016");
    expect(p2016).toHaveLength(1);
    const start = text.indexOf(deep);
    expect(p2016[0]?.range).toEqual({ start, end: start + deep.length });
    expect(p2016[0]?.message).toMatch(/nested more than 256 levels/);
  });

  it("is one P2016 for deeply nested parentheses too", () => {
    const query = `${"(".repeat(20_000)}a${")".repeat(20_000)}`;
    const r = check(policyWithQuery(query));
    expect(r.diagnostics.filter((d) => d.code.startsWith("P9"))).toEqual([]);
    expect(r.diagnostics.filter((d) => d.code === "P2016")).toHaveLength(1);
  });

  it("fails an evaluation with P3002 naming the limit when the query is built at run time", () => {
    const c = compile('version=1.2;\nauthorizationrules\n{\n    q:[type=="q"] => add(type="y", value=JmesPath("{}", q.value));\n    => permit();\n};\n');
    expect(c.policy).toBeDefined();
    const r = evaluate(c.policy!, [{ type: "q", value: deep }]);
    expect(r.decision).toBe("error");
    expect(r.diagnostics.map((d) => d.code)).toEqual(["P3002"]);
    expect(r.diagnostics[0]?.message).toMatch(/nested more than 256 levels/);
  });
});
