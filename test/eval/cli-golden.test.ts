/**
 * Goldens of `maa-policy eval` output (pretty with a full trace, and JSON with a rules trace),
 * so that changes to the report format are reviewed. `UPDATE_GOLDENS=1` rewrites them.
 */
import path from "node:path";
import { expect, test } from "vitest";
import { runMaaPolicy } from "../support/cli.js";
import { expectGolden } from "../support/golden.js";

const dir = path.resolve(import.meta.dirname, "../fixtures/eval-cli");

test("pretty output with --trace full", async () => {
  const r = await runMaaPolicy(["eval", "trace.policy", "--claims", "trace.claims.json", "--trace", "full"], { cwd: dir });
  expect(r.code).toBe(0);
  expectGolden(path.join(dir, "trace.pretty.txt"), r.stdout);
});

test("JSON output with --trace rules", async () => {
  const r = await runMaaPolicy(["eval", "trace.policy", "--claims", "trace.claims.json", "--trace", "rules", "--format", "json"], { cwd: dir });
  expect(r.code).toBe(0);
  expectGolden(path.join(dir, "trace.json"), r.stdout);
});
