/**
 * Robustness of `check`: it never throws and never hits an internal error (P9001), every range is
 * within the text, results are deterministic, and rule levels and suppressions only ever remove
 * or re-grade diagnostics. Run on generated policies, on random text and on every parser fixture.
 */
import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { catalog, check, printPolicy, type Diagnostic } from "@maa-policy/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { policyAstArb } from "../support/arbitraries.js";
import { fixturePath } from "../support/fixtures.js";

function sane(text: string, diagnostics: readonly Diagnostic[]): void {
  for (const d of diagnostics) {
    expect(d.code).not.toBe("P9001");
    expect(d.range.start).toBeGreaterThanOrEqual(0);
    expect(d.range.end).toBeGreaterThanOrEqual(d.range.start);
    expect(d.range.end).toBeLessThanOrEqual(text.length);
    expect(d.message).not.toMatch(/\n|\.$/);
    expect(d.message.charAt(0)).toBe(d.message.charAt(0).toLowerCase());
    for (const e of d.fix?.edits ?? []) expect(e.range.end).toBeLessThanOrEqual(text.length);
  }
}

const P2 = Object.keys(catalog).filter((c) => c.startsWith("P2"));

describe("check properties", () => {
  it("is total and in bounds on generated policies", () => {
    fc.assert(
      fc.property(policyAstArb, (ast) => {
        const text = printPolicy(ast);
        const r = check(text);
        sane(text, r.diagnostics);
        expect(check(text).diagnostics).toEqual(r.diagnostics);
      }),
      { numRuns: 150 },
    );
  });

  it("is total and in bounds on arbitrary text", () => {
    const alphabet = fc.constantFrom(..."version=1.2;authorizationrules{}[]()c:type==\"x\"value!<>=&&!,.permit deny issue add JmesPath(`'\\\u202e\u200b\n".split(""));
    fc.assert(
      fc.property(fc.array(alphabet, { maxLength: 200 }), (chars) => {
        const text = chars.join("");
        sane(text, check(text).diagnostics);
      }),
      { numRuns: 300 },
    );
  });

  it("turning every check off leaves only syntax diagnostics", () => {
    fc.assert(
      fc.property(policyAstArb, (ast) => {
        const text = printPolicy(ast);
        const off = Object.fromEntries(P2.map((c) => [c, "off" as const]));
        const all = check(text).diagnostics;
        const none = check(text, { rules: off }).diagnostics;
        expect(none).toEqual(all.filter((d) => !d.code.startsWith("P2")));
      }),
      { numRuns: 60 },
    );
  });

  it("never fails on the parser fixtures", () => {
    for (const sub of ["ok", "err"]) {
      const dir = fixturePath("parse", sub);
      for (const f of readdirSync(dir).filter((x) => x.endsWith(".policy"))) {
        const text = readFileSync(path.join(dir, f), "utf8");
        sane(text, check(text).diagnostics);
      }
    }
  });
});
