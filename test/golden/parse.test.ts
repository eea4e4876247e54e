/**
 * Golden parse fixtures: every `test/fixtures/parse/{ok,err}/*.policy` has a `.ast.txt` with its
 * tree and diagnostics. `ok/` fixtures have no error; `err/` fixtures have at least one diagnostic, and each
 * error's fix (when it has one) leads to a text with fewer errors.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { applyFixes, parse } from "@maa-policy/core";
import { dumpDiagnostics, dumpTree } from "@maa-policy/core/testing";
import { describe, expect, it } from "vitest";
import { fixturePath, listFixtures } from "../support/fixtures.js";
import { expectGolden } from "../support/golden.js";

for (const group of ["ok", "err"] as const) {
  describe(`parse fixtures: ${group}`, () => {
    const dir = fixturePath("parse", group);
    for (const name of listFixtures(dir, ".policy")) {
      it(name, () => {
        const text = readFileSync(path.join(dir, name), "utf8");
        const { file, diagnostics } = parse(text);
        const dump = dumpTree(file) + "--- diagnostics\n" + dumpDiagnostics(diagnostics);
        expectGolden(path.join(dir, name.replace(/\.policy$/, ".ast.txt")), dump);
        const errors = diagnostics.filter((d) => d.severity === "error");
        if (group === "ok") {
          expect(errors).toEqual([]);
        } else {
          expect(diagnostics.length).toBeGreaterThan(0);
          const fixes = errors.flatMap((d) => (d.fix ? [d.fix] : []));
          if (fixes.length > 0) {
            const fixed = applyFixes(text, fixes);
            const after = parse(fixed).diagnostics.filter((d) => d.severity === "error");
            expect(after.length).toBeLessThan(errors.length);
          }
        }
      });
    }
  });
}
