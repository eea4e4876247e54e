/**
 * The line diff behind `maa-policy fmt --diff`: the edit script is minimal (as long a common
 * subsequence as dynamic programming finds), and applying the unified diff's hunks to the old
 * text gives the new one.
 */
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { diffLines, splitLines, unifiedDiff } from "../../packages/cli/src/util/unified-diff.js";

function lcsLength(a: readonly string[], b: readonly string[]): number {
  const dp: number[][] = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      dp[i]![j] = a[i] === b[j] ? dp[i + 1]![j + 1]! + 1 : Math.max(dp[i + 1]![j]!, dp[i]![j + 1]!);
    }
  }
  return dp[0]![0]!;
}

/** Applies a unified diff to `before` (lines), checking every context and removed line. */
function applyUnified(before: readonly string[], diff: string): string[] {
  const lines = diff.split("\n");
  const out: string[] = [];
  let at = 0;
  for (let i = 2; i < lines.length; i++) {
    const m = /^@@ -(\d+),(\d+) \+(\d+),(\d+) @@$/.exec(lines[i] as string);
    if (!m) continue;
    const oldStart = Number(m[2]) === 0 ? Number(m[1]) : Number(m[1]) - 1;
    while (at < oldStart) out.push(before[at++] as string);
    for (i++; i < lines.length && !(lines[i] as string).startsWith("@@") && lines[i] !== ""; i++) {
      const l = lines[i] as string;
      if (l.startsWith("+")) out.push(l.slice(1));
      else {
        expect(before[at]).toBe(l.slice(1));
        if (l.startsWith(" ")) out.push(l.slice(1));
        at++;
      }
    }
    i--;
  }
  while (at < before.length) out.push(before[at++] as string);
  return out;
}

const linesArb = fc.array(fc.constantFrom("a", "b", "c", "d", "{", "}", ""), { maxLength: 30 });

describe("line diff", () => {
  test("the edit script rebuilds both sides and is minimal", () => {
    fc.assert(
      fc.property(linesArb, linesArb, (a, b) => {
        const script = diffLines(a, b);
        expect(script.filter((l) => l.kind !== "insert").map((l) => l.text)).toEqual(a);
        expect(script.filter((l) => l.kind !== "delete").map((l) => l.text)).toEqual(b);
        expect(script.filter((l) => l.kind === "equal").length).toBe(lcsLength(a, b));
      }),
      { numRuns: 300 },
    );
  });

  test("applying the unified diff to the old text gives the new text", () => {
    fc.assert(
      fc.property(linesArb, linesArb, fc.integer({ min: 0, max: 3 }), (a, b, context) => {
        const before = a.map((l) => l + "\n").join("");
        const after = b.map((l) => l + "\n").join("");
        const diff = unifiedDiff("p.policy", before, after, context);
        if (before === after) expect(diff).toBe("");
        else expect(applyUnified(splitLines(before), diff)).toEqual(splitLines(after));
      }),
      { numRuns: 300 },
    );
  });

  test("hunks, headers and a change of line endings only", () => {
    const before = ["1", "2", "3", "4", "5", "6", "7", "8", "9", "10"].join("\n") + "\n";
    const after = before.replace("2\n", "two\n").replace("9\n", "");
    expect(unifiedDiff("x.policy", before, after, 1)).toBe(
      ["--- a/x.policy", "+++ b/x.policy", "@@ -1,3 +1,3 @@", " 1", "-2", "+two", " 3", "@@ -8,3 +8,2 @@", " 8", "-9", " 10", ""].join("\n"),
    );
    expect(unifiedDiff("x.policy", "a\nb\n", "a\r\nb\r\n")).toBe("--- a/x.policy\n+++ b/x.policy\n@@ line endings or final line break changed @@\n");
    expect(unifiedDiff("x.policy", "a\n", "a\n")).toBe("");
  });
});
