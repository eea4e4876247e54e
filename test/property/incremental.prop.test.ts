/**
 * Incremental analysis against analysis from scratch: over random edit sequences (typing inside
 * rules, deleting and inserting whole rules, and breaking edits: quotes, braces, `;`, comments),
 * `reparse` from the previous version gives exactly `parse(text)` (tree, ranges, diagnostics),
 * and `checkParsed` on it gives exactly `check(text)`, after every edit.
 */
import { readFileSync } from "node:fs";
import fc from "fast-check";
import { check, checkParsed, parse, printPolicy, reparse, type IncrementalParse } from "@maa-policy/core";
import { describe, expect, it } from "vitest";
import { policyAstArb } from "../support/arbitraries.js";
import { fixturePath, listFixtures, ROOT } from "../support/fixtures.js";

const seeds = [
  readFileSync(`${ROOT}/examples/sgx.policy`, "utf8"),
  readFileSync(`${ROOT}/examples/tpm.policy`, "utf8"),
  ...listFixtures(fixturePath("check"), ".policy").map((f) => readFileSync(fixturePath("check", f), "utf8")),
  ...listFixtures(fixturePath("real-world"), ".policy")
    .slice(0, 20)
    .map((f) => readFileSync(fixturePath("real-world", f), "utf8")),
];

const insertion = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom("x", "1", "a", " ", "-", "_", "é") },
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      '\n    [type=="x-ms-sgx-svn", value>=2] => permit();',
      '\n    c:[type=="a"] => issue(type="b", value=c.value);',
      "\n    => deny();",
      '\n    c:[type=="a"] && [issuer=="AttestationPolicy"] => add(type="t", value=JmesPath(c.value, "a.b"));',
      '[type=="x"] => permit();',
      "// note\n",
      "c.value",
      "issuer=",
      "0x1F",
      "-3",
      "1.5",
      '"',
      "“",
      ";",
      ";;",
      "}",
      "{",
      "]",
      "(",
      "=",
      "==",
      "/*",
      "*/",
      "\n",
      "\r\n",
      "||",
      "<id>",
      "\\q",
      "authorizationrules{",
      "premit",
      "typ",
      "\u200B",
    ),
  },
  { weight: 1, arbitrary: fc.string({ maxLength: 6 }) },
);

/** An edit: at a position (a fraction of the length, so it lands anywhere), delete some characters, insert a string. */
const editArb = fc.record({ at: fc.noBias(fc.integer({ min: 0, max: 9999 })).map((x) => x / 10_000), remove: fc.oneof(fc.constant(0), fc.constant(0), fc.nat(3), fc.nat(60)), insert: insertion });

function apply(text: string, e: { at: number; remove: number; insert: string }): string {
  const at = Math.min(text.length, Math.floor(e.at * text.length));
  return text.slice(0, at) + e.insert + text.slice(Math.min(text.length, at + e.remove));
}

const startArb = fc.oneof(fc.constantFrom(...seeds), policyAstArb.map((f) => printPolicy(f)));

let spliced = 0;
let edited = 0;

function step(previous: IncrementalParse, text: string): IncrementalParse {
  const next = reparse(previous, text);
  const fresh = parse(text);
  expect(next.text).toBe(text);
  expect(next.result.diagnostics).toEqual(fresh.diagnostics);
  expect(next.result.file).toEqual(fresh.file);
  expect(checkParsed(text, next.result).diagnostics).toEqual(check(text).diagnostics);
  edited++;
  if (next.reparsed !== "full") spliced++;
  return next;
}

describe("incremental re-parse", () => {
  it("equals parsing and checking from scratch after every edit of random edit sequences", () => {
    fc.assert(
      fc.property(startArb, fc.array(editArb, { minLength: 1, maxLength: 10 }), (start, edits) => {
        let state = reparse(undefined, start);
        let text = start;
        for (const e of edits) {
          text = apply(text, e);
          state = step(state, text);
        }
      }),
      { numRuns: 60 },
    );
    // The property is about the incremental path: a good share of the edits must have taken it
    // (an edit that breaks the syntax sends the rest of its sequence down the full path).
    expect(spliced).toBeGreaterThan(edited / 10);
  }, 120_000);

  it("re-parses only the rule being typed in", () => {
    const text = readFileSync(`${ROOT}/examples/sgx.policy`, "utf8");
    const state = reparse(undefined, text);
    expect(state.reparsed).toBe("full");
    const at = text.indexOf('value=c.value') + 3;
    const edited = text.slice(0, at) + "x" + text.slice(at);
    const next = step(state, edited);
    expect(next.reparsed).not.toBe("full");
    if (next.reparsed === "full") return;
    const rule = edited.slice(next.reparsed.start, next.reparsed.end);
    expect(rule.trim().endsWith(";")).toBe(true);
    expect(rule.split(";").length).toBe(2);
  });

  it("falls back to a full parse when the previous text had a syntax error, and recovers once it is fixed", () => {
    const good = 'version=1.2;\nauthorizationrules\n{\n    [type=="a"] => permit();\n};\n';
    const broken = good.replace("permit();", "permit()");
    let state = step(reparse(undefined, good), broken);
    expect(state.clean).toBe(false);
    state = step(state, good);
    expect(state.reparsed).toBe("full");
    expect(state.clean).toBe(true);
    expect(step(state, good.replace('"a"', '"ab"')).reparsed).not.toBe("full");
  });
});
