/**
 * Golden parse fixtures: every `test/fixtures/parse/{ok,err}/*.policy` has a `.ast.txt` with its
 * tree and diagnostics, and children lie in their parent's range without overlapping each other.
 * `ok/` fixtures have no error; `err/` fixtures have at least one diagnostic, and each error's fix
 * (when it has one) leads to a text with fewer errors.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { applyFixes, childrenOf, parse, walk } from "@maa-policy/core";
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
        walk(file, (n) => {
          const children = childrenOf(n).sort((a, b) => a.range.start - b.range.start);
          children.forEach((c, i) => {
            expect(c.range.start, `${c.kind} starts inside ${n.kind}`).toBeGreaterThanOrEqual(n.range.start);
            expect(c.range.end, `${c.kind} ends inside ${n.kind}`).toBeLessThanOrEqual(n.range.end);
            const next = children[i + 1];
            if (next) expect(c.range.end, `${c.kind} does not overlap the next ${next.kind}`).toBeLessThanOrEqual(next.range.start);
          });
        });
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
