/**
 * The real-world corpus: policies published by Microsoft, the SDKs and production users, byte for
 * byte (see test/fixtures/real-world/SOURCES.md). Each one's syntax diagnostic codes are pinned in
 * `expected-syntax.json`: the valid ones have none, the known mistakes have their specific codes,
 * and applying the fixes of a broken one leaves fewer errors.
 */
import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { applyFixes, parse } from "@maa-policy/core";
import { describe, expect, it } from "vitest";
import { fixturePath } from "../support/fixtures.js";

const dir = fixturePath("real-world");
const expected = JSON.parse(readFileSync(path.join(dir, "expected-syntax.json"), "utf8")) as Record<string, string[]>;
const files = readdirSync(dir)
  .filter((f) => f.endsWith(".policy"))
  .sort();

describe("real-world policies", () => {
  it("has an expectation for every policy and a policy for every expectation", () => {
    expect(Object.keys(expected).sort()).toEqual(files);
    expect(files.length).toBeGreaterThanOrEqual(80);
  });

  for (const name of files) {
    it(name, () => {
      const text = readFileSync(path.join(dir, name), "utf8");
      const { diagnostics } = parse(text);
      const codes = [...new Set(diagnostics.map((d) => d.code))].sort();
      expect(codes).toEqual(expected[name]);
      for (const d of diagnostics) {
        expect(d.range.start).toBeGreaterThanOrEqual(0);
        expect(d.range.end).toBeLessThanOrEqual(text.length);
        expect(d.message).not.toMatch(/\n|\.$|[A-Z][a-z]+(Kw|Literal|Keyword)\b/);
      }
      const errors = diagnostics.filter((d) => d.severity === "error");
      const fixes = errors.flatMap((d) => (d.fix ? [d.fix] : []));
      if (fixes.length > 0) {
        const after = parse(applyFixes(text, fixes)).diagnostics.filter((d) => d.severity === "error");
        expect(after.length).toBeLessThan(errors.length);
      }
    });
  }
});

describe("real-world fixes", () => {
  it("turns every mistake that has only fixable errors into a clean policy", () => {
    const repaired: string[] = [];
    for (const name of files) {
      const text = readFileSync(path.join(dir, name), "utf8");
      const errors = parse(text).diagnostics.filter((d) => d.severity === "error");
      if (errors.length === 0 || errors.some((d) => !d.fix)) continue;
      let fixed = text;
      // Overlapping fixes are applied over several passes, as `check --fix` does.
      for (let pass = 0; pass < 5; pass++) {
        const errs = parse(fixed).diagnostics.filter((d) => d.severity === "error");
        if (errs.length === 0) break;
        fixed = applyFixes(fixed, errs.flatMap((d) => (d.fix ? [d.fix] : [])));
      }
      expect(parse(fixed).diagnostics.filter((d) => d.severity === "error"), name).toEqual([]);
      repaired.push(name);
    }
    expect(repaired.length).toBeGreaterThanOrEqual(10);
  });
});
