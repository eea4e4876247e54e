/**
 * Check fixtures: `test/fixtures/check/<CODE>-<slug>.policy`, with the expected diagnostics as
 * inline caret annotations. The harness strips the annotations, runs `check()` with the default
 * configuration, draws the diagnostics back and compares the whole file. `UPDATE_GOLDENS=1`
 * rewrites the annotations. Every P2 code has a fixture named after it, which produces it.
 */
import { readFileSync, readdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { catalog, check } from "@maa-policy/core";
import { describe, expect, it } from "vitest";
import { ROOT } from "../support/fixtures.js";
import { annotate, stripAnnotations } from "./annotations.js";

const DIR = path.join(ROOT, "test", "fixtures", "check");
const files = readdirSync(DIR).filter((f) => f.endsWith(".policy")).sort();
const update = process.env["UPDATE_GOLDENS"] === "1";

describe("check fixtures", () => {
  for (const f of files) {
    it(f, () => {
      const full = path.join(DIR, f);
      const text = readFileSync(full, "utf8");
      const source = stripAnnotations(text);
      const actual = annotate(source, check(source).diagnostics);
      if (update) {
        writeFileSync(full, actual);
        return;
      }
      expect(actual).toBe(text);
      const code = f.slice(0, 5);
      expect(check(source).diagnostics.map((d) => d.code), `fixture ${f} produces ${code}`).toContain(code);
    });
  }

  it("covers every check code with a fixture named after it", () => {
    const p2 = Object.keys(catalog).filter((c) => c.startsWith("P2"));
    const missing = p2.filter((c) => !files.some((f) => f.startsWith(`${c}-${catalog[c as keyof typeof catalog].slug}`)));
    expect(missing).toEqual([]);
  });
});
