/**
 * Golden-file comparison shared by the data-driven suites.
 *
 * A missing golden is written when running locally and is a failure when `CI` is set, so that a
 * forgotten golden never passes silently in CI. `UPDATE_GOLDENS=1` rewrites every golden.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { expect } from "vitest";

/** Compares `actual` with the golden file at `path` (see the module comment for update rules). */
export function expectGolden(path: string, actual: string): void {
  const update = process.env["UPDATE_GOLDENS"] === "1";
  if (update || !existsSync(path)) {
    if (!update && process.env["CI"]) {
      throw new Error(`missing golden file ${path}: run \`npm run test:update\` locally and commit it`);
    }
    writeFileSync(path, actual);
    return;
  }
  expect(actual, `golden ${path}`).toBe(readFileSync(path, "utf8"));
}
