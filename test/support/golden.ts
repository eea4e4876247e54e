/**
 * Golden-file comparison shared by the data-driven suites.
 *
 * A missing golden is a failure, everywhere (locally as in CI): a forgotten golden never passes
 * silently. Writing goldens is a separate, reviewed step: `npm run test:update`
 * (`UPDATE_GOLDENS=1`) writes every golden, missing or not; review the diff before committing it.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { expect } from "vitest";

/** Compares `actual` with the golden file at `path` (see the module comment for update rules). */
export function expectGolden(path: string, actual: string): void {
  if (process.env["UPDATE_GOLDENS"] === "1") {
    writeFileSync(path, actual);
    return;
  }
  if (!existsSync(path)) {
    throw new Error(`missing golden file ${path}: run \`npm run test:update\` to write it, review it, and commit it`);
  }
  expect(actual, `golden ${path}`).toBe(readFileSync(path, "utf8"));
}
