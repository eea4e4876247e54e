/**
 * The linter on the real-world corpus (test/fixtures/real-world, see its SOURCES.md): no policy
 * that SOURCES.md marks valid gets a check error, and the check diagnostics of every policy are pinned
 * in `real-world.lint.json` (code and 1-based line), so that a rule that starts firing on
 * published policies is noticed and justified. `UPDATE_GOLDENS=1` rewrites the pins.
 */
import { existsSync, readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { LineIndex, check } from "@maa-policy/core";
import { describe, expect, it } from "vitest";
import { expectGolden } from "../support/golden.js";
import { fixturePath } from "../support/fixtures.js";

const dir = fixturePath("real-world");
const files = readdirSync(dir)
  .filter((f) => f.endsWith(".policy"))
  .sort();

/** File name → status column of SOURCES.md. */
function statuses(): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of readFileSync(path.join(dir, "SOURCES.md"), "utf8").split("\n")) {
    const cells = line.split("|").map((c) => c.trim());
    if (cells[1]?.endsWith(".policy")) out.set(cells[1], cells[3] ?? "");
  }
  return out;
}

describe("linter on real-world policies", () => {
  const status = statuses();
  const valid = files.filter((f) => /^valid/i.test(status.get(f) ?? ""));

  it("finds the corpus and its valid policies", () => {
    expect(existsSync(path.join(dir, "SOURCES.md"))).toBe(true);
    expect(valid.length).toBeGreaterThanOrEqual(40);
  });

  for (const name of valid) {
    it(`reports no check error on valid ${name}`, () => {
      // Syntax diagnostics are pinned by the parser's own suite (expected-syntax.json).
      const { diagnostics } = check(readFileSync(path.join(dir, name), "utf8"));
      expect(diagnostics.filter((d) => d.severity === "error" && d.code.startsWith("P2"))).toEqual([]);
    });
  }

  it("pins the check diagnostics of every policy", () => {
    const pins: Record<string, string[]> = {};
    for (const name of files) {
      const text = readFileSync(path.join(dir, name), "utf8");
      const index = new LineIndex(text);
      pins[name] = check(text)
        .diagnostics.filter((d) => d.code.startsWith("P2"))
        .map((d) => `${d.code} ${d.severity} line ${index.position(d.range.start).line + 1}`);
    }
    expectGolden(path.join(import.meta.dirname, "real-world.lint.json"), JSON.stringify(pins, null, 2) + "\n");
  });
});
