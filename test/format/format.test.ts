/**
 * Golden before/after fixtures of the formatter (`test/fixtures/format/<slug>.policy` and
 * `<slug>.formatted.policy`, the real-world corpus under `real-world/`), each also checked in
 * CRLF and BOM variants: the output is the golden, parses to the same tree with the same
 * comments, and formatting it again changes nothing.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { format, parse, type PolicyFile } from "@maa-policy/core";
import { astEquals } from "@maa-policy/core/testing";
import { expectGolden } from "../support/golden.js";
import { fixturePath, listFixtures } from "../support/fixtures.js";

const DIR = fixturePath("format");
const inputsOf = (dir: string) => listFixtures(dir, ".policy").filter((f) => !f.endsWith(".formatted.policy"));
const toLf = (s: string) => s.replace(/\r\n?/g, "\n");
const toCrlf = (s: string) => toLf(s).replace(/\n/g, "\r\n");
const commentTexts = (f: PolicyFile) => f.comments.map((c) => c.text.trimEnd());

function checkFixture(dir: string, name: string): void {
  const input = readFileSync(path.join(dir, name), "utf8");
  const goldenPath = path.join(dir, name.replace(/\.policy$/, ".formatted.policy"));

  test(`${name}: formats to its golden, same tree and comments, idempotent`, () => {
    const result = format(input);
    expect(result.diagnostics).toEqual([]);
    expectGolden(goldenPath, result.text);
    const before = parse(input).file;
    const after = parse(result.text).file;
    expect(astEquals(before, after)).toBe(true);
    expect(commentTexts(after)).toEqual(commentTexts(before));
    const again = format(result.text);
    expect(again.text).toBe(result.text);
    expect(again.changed).toBe(false);
  });

  test(`${name}: CRLF and LF variants keep their line ending (auto) or take the one asked for`, () => {
    const golden = toLf(readFileSync(goldenPath, "utf8"));
    // A text without line breaks has no line ending to keep: `auto` then writes LF.
    const autoCrlf = /[\r\n]/.test(input) ? toCrlf(golden) : golden;
    expect(format(toCrlf(input)).text).toBe(autoCrlf);
    expect(format(toLf(input)).text).toBe(golden);
    expect(format(toCrlf(input), { endOfLine: "lf" }).text).toBe(golden);
    expect(format(toLf(input), { endOfLine: "crlf" }).text).toBe(toCrlf(golden));
    expect(format(toCrlf(golden)).changed).toBe(false);
  });

  test(`${name}: a byte-order mark is kept`, () => {
    const golden = toLf(readFileSync(goldenPath, "utf8"));
    expect(format("\uFEFF" + toLf(input)).text).toBe("\uFEFF" + golden);
    const autoCrlf = /[\r\n]/.test(input) ? toCrlf(golden) : golden;
    expect(format("\uFEFF" + toCrlf(input)).text).toBe("\uFEFF" + autoCrlf);
    expect(format("\uFEFF" + golden).changed).toBe(false);
  });
}

describe("format fixtures", () => {
  for (const name of inputsOf(DIR)) checkFixture(DIR, name);
});

describe("format real-world policies", () => {
  const dir = path.join(DIR, "real-world");
  test("the corpus is there", () => {
    expect(inputsOf(dir).length).toBeGreaterThanOrEqual(60);
  });
  for (const name of inputsOf(dir)) checkFixture(dir, name);
});
