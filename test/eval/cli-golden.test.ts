/**
 * Goldens of `maa-policy eval` output (pretty with a full trace, and JSON with a rules trace),
 * so that changes to the report format are reviewed. The lint diagnostics printed before the
 * report belong to the linter's suites and are left out. `UPDATE_GOLDENS=1` rewrites them.
 */
import path from "node:path";
import { expect, test } from "vitest";
import { runMaaPolicy } from "../support/cli.js";
import { expectGolden } from "../support/golden.js";

const dir = path.resolve(import.meta.dirname, "../fixtures/eval-cli");

test("pretty output with --trace full", async () => {
  const r = await runMaaPolicy(["eval", "trace.policy", "--claims", "trace.claims.json", "--trace", "full"], { cwd: dir });
  expect(r.code).toBe(0);
  const report = r.stdout.slice(r.stdout.indexOf("decision: "));
  expectGolden(path.join(dir, "trace.pretty.txt"), report);
});

test("JSON output with --trace rules", async () => {
  const r = await runMaaPolicy(["eval", "trace.policy", "--claims", "trace.claims.json", "--trace", "rules", "--format", "json"], { cwd: dir });
  expect(r.code).toBe(0);
  const json = JSON.parse(r.stdout) as Record<string, unknown> & { diagnostics: { severity: string }[] };
  expect(json.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  const { diagnostics: _, ...report } = json;
  expectGolden(path.join(dir, "trace.json"), JSON.stringify(report, null, 2) + "\n");
});
