/**
 * Inputs that break naive parsers: each gets its diagnostics, with no crash, no stack overflow and
 * no hang. (Speed is measured by `npm run bench:parse`, never asserted here.)
 */
import { childrenOf, parse, walk, type Node } from "@maa-policy/core";
import { describe, expect, it } from "vitest";

const RULE = 'c:[type=="x-ms-sgx-svn", value>=2, issuer=="AttestationService"] => issue(type="svn", value=JmesPath(c.value, "a.b"));\n';

function bigPolicy(bytes: number): string {
  let body = "";
  while (body.length < bytes) body += RULE;
  return `version=1.2;\nauthorizationrules { => permit(); };\nissuancerules\n{\n${body}};\n`;
}

function codes(text: string): string[] {
  return parse(text).diagnostics.map((d) => d.code);
}

describe("edge inputs", () => {
  it("parses a 1 MB policy on a single line", () => {
    const text = bigPolicy(1_000_000).replace(/\n/g, " ");
    const { file, diagnostics } = parse(text);
    expect(diagnostics).toEqual([]);
    const iss = file.sections[1];
    expect(iss?.rules.length).toBe(text.split("=> issue(").length - 1);
    expect(iss?.rules.every((r) => r.kind === "Rule")).toBe(true);
  });

  it("cuts 10,000 nested function calls with one diagnostic and a shallow tree", () => {
    const text = `version=1.2; authorizationrules { => permit(); }; issuancerules { => issue(type="a", value=${"NegateBool(".repeat(10_000)}true${")".repeat(10_000)}); };`;
    const { file, diagnostics } = parse(text);
    expect(diagnostics.map((d) => d.code)).toEqual(["P1019"]);
    let maxDepth = 0;
    walk(file, (_n: Node, depth: number) => {
      maxDepth = Math.max(maxDepth, depth);
    });
    expect(maxDepth).toBeLessThan(100);
  });

  it("reports an unterminated string at the end of a 1 MB file once", () => {
    const text = bigPolicy(1_000_000) + 'issuancerules { => issue(type="abc';
    const d = parse(text).diagnostics;
    expect(d.map((x) => x.code)).toContain("P1011");
    expect(d.filter((x) => x.code === "P1011")).toHaveLength(1);
    expect(d.length).toBeLessThanOrEqual(3);
  });

  it("reports NUL bytes as unknown characters", () => {
    const text = "version=1.2;\u0000\u0000\nauthorizationrules { => permit(); };";
    const d = parse(text).diagnostics;
    expect(d.map((x) => x.code)).toEqual(["P1018"]);
    expect(d[0]?.message).toContain("U+0000");
    expect(d[0]?.range).toEqual({ start: 12, end: 14 });
  });

  it("accepts a byte-order mark and records it", () => {
    const r = parse("\uFEFFversion=1.0;\nauthorizationrules { => permit(); };\n");
    expect(r.diagnostics).toEqual([]);
    expect(r.file.bom).toBe(true);
    expect(r.file.version?.range.start).toBe(1);
  });

  it("keeps lone surrogates inside strings and reports them outside", () => {
    expect(codes('version=1.0; authorizationrules { [type=="\uD800"] => permit(); };')).toEqual([]);
    const d = parse("version=1.0; authorizationrules { => permit(); \uDC00 };").diagnostics;
    expect(d.map((x) => x.code)).toEqual(["P1018"]);
    expect(d[0]?.message).toContain("U+DC00");
  });

  it("handles empty and whitespace-only input", () => {
    expect(codes("")).toEqual(["P1023"]);
    expect(codes(" \n\t\r\n")).toEqual(["P1023"]);
  });

  it("caps the number of diagnostics on pathological input", () => {
    const text = "version=1.0; authorizationrules { " + "[type=1] => permit();".repeat(5000) + " };";
    const d = parse(text).diagnostics;
    expect(d.length).toBeLessThanOrEqual(201);
    expect(d[d.length - 1]?.code).toBe("P9002");
  });

  it("gives a tree for 100 KB of random punctuation", () => {
    let seed = 7;
    const chars = '{}[]();=>&&!,.:x"1 \n';
    let text = "";
    for (let i = 0; i < 100_000; i++) {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      text += chars[seed % chars.length];
    }
    const { file, diagnostics } = parse(text);
    expect(file.kind).toBe("PolicyFile");
    expect(diagnostics.length).toBeGreaterThan(0);
    for (const c of childrenOf(file)) expect(c.range.end).toBeLessThanOrEqual(text.length);
  });
});
